/** The web app's contact rules, without a browser: the reach refusal, its sentences, the blocked composer. */
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { blockedNote, blockedOther, isContactsEvent, needsRequest, reachSentence, requestSentence } from '../../src/trpc/contacts.ts';

const refusal = (data: Record<string, unknown>) =>
  TRPCClientError.from({
    error: {
      code: -32603,
      message: 'You share no room with this person: send them a contact request first',
      data: { code: 'FORBIDDEN', httpStatus: 403, ...data },
    },
  });
const ann = { displayName: 'Ann', username: 'ann' };

describe('the reach refusal', () => {
  it('names whom a request would reach, and nobody for other errors (a block, the network)', () => {
    expect(needsRequest(refusal({ needsRequest: ['u1', 'u2'] }))).toEqual(['u1', 'u2']);
    expect(needsRequest(refusal({}))).toEqual([]);
    expect(needsRequest(refusal({ needsRequest: 'u1' }))).toEqual([]);
    expect(needsRequest(new TRPCClientError('Failed to fetch'))).toEqual([]);
    expect(needsRequest(new Error('x'))).toEqual([]);
  });

  it('is said in plain words naming the person', () => {
    expect(reachSentence(ann, 'messages')).toBe('Ann @ann only gets messages from people they share a room with or have accepted as a contact.');
    expect(reachSentence(ann, 'invitations')).toBe('Ann @ann only gets invitations from people they share a room with or have accepted as a contact.');
    expect(requestSentence(ann, 'pending')).toBe('Request sent. You can write to Ann once they accept.');
    expect(requestSentence(ann, 'accepted')).toBe('Ann @ann is now a contact.');
  });
});

describe('the blocked composer', () => {
  const me = { userId: 'me' };
  const a = { userId: 'a' };
  const b = { userId: 'b' };
  it('applies to a direct room of two whose other person I blocked, only', () => {
    expect(blockedOther('direct', [me, a], 'me', new Set(['a']))).toBe(a);
    expect(blockedOther('direct', [me, a], 'me', new Set(['b']))).toBeNull();
    expect(blockedOther('direct', [me, a, b], 'me', new Set(['a']))).toBeNull();
    expect(blockedOther('closed', [me, a], 'me', new Set(['a']))).toBeNull();
    expect(blockedNote(ann)).toBe('You blocked Ann. Unblock to send messages.');
  });
});

it('takes only its own events.user types', () => {
  expect(isContactsEvent({ type: 'contact.changed', userId: 'a' })).toBe(true);
  expect(isContactsEvent({ type: 'message.hidden', roomId: 'r', messageId: 'm' })).toBe(true);
  expect(isContactsEvent({ type: 'room.hidden', roomId: 'r' })).toBe(true);
  expect(isContactsEvent({ type: 'room.added', roomId: 'r' })).toBe(false);
});

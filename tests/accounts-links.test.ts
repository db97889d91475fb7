import { describe, expect, it } from 'vitest';
import { linkFromHash, linkOn, registrationNote } from '../src/trpc/links.ts';

describe('the web app reading its links', () => {
  it('takes #setup=, #invite= and #reset= with their token, and nothing else', () => {
    expect(linkFromHash('#setup=abc_DEF-123')).toEqual({ kind: 'setup', token: 'abc_DEF-123' });
    expect(linkFromHash('#invite=x')).toEqual({ kind: 'invite', token: 'x' });
    expect(linkFromHash('#reset=a%20b')).toEqual({ kind: 'reset', token: 'a b' });
    for (const hash of ['', '#', '#setup=', '#other=x', '#invite=a&b=c', `#reset=${'x'.repeat(257)}`, '#reset=%E0%A4%A']) {
      expect(linkFromHash(hash), hash).toBeNull();
    }
  });

  it('builds the link to hand over on the page origin, and round-trips it', () => {
    const url = linkOn('https://chat.example.com', 'invite', 'tok/en');
    expect(url).toBe('https://chat.example.com/#invite=tok%2Fen');
    expect(linkFromHash(new URL(url).hash)).toEqual({ kind: 'invite', token: 'tok/en' });
  });

  it('says who may register, in plain words', () => {
    expect(registrationNote({ mode: 'open', setUp: false })).toContain('setup link');
    expect(registrationNote({ mode: 'invite', setUp: true })).toContain('invitation link');
    expect(registrationNote({ mode: 'closed', setUp: true })).toContain('created by an admin');
    expect(registrationNote({ mode: 'open', setUp: true })).toBeNull();
  });
});

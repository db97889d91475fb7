'use client';
import { useState } from 'react';
import { needsRequest, reachSentence, requestSentence } from '../../trpc/contacts.ts';
import { nameAndHandle } from '../../trpc/people.ts';
import { useContactActions } from '../../trpc/use-contacts.ts';
import { ErrorNote } from './error-note.tsx';

type Person = { id: string; displayName: string; username: string };

interface Props {
  /** The refusal of `rooms.direct` or `rooms.addMembers`, if any. */
  error: unknown;
  /** Whom the refusal may name (the people just offered). */
  people: readonly Person[];
  what: 'messages' | 'invitations';
  /** They had asked me first: we are contacts now, so try again. */
  onAccepted(userId: string): void;
}

type Sent = { error: unknown; status: 'pending' | 'accepted' } | { error: unknown; failure: unknown };

/**
 * An error as ErrorNote says it, except "send them a contact request first":
 * that one says why in plain words and offers **Send contact request**.
 */
export function ReachNote({ error, people, what, onAccepted }: Props) {
  const actions = useContactActions();
  const [busy, setBusy] = useState(false);
  // What the request for this very refusal did; a new refusal starts afresh.
  const [sent, setSent] = useState<Sent | null>(null);
  const person = people.find((p) => needsRequest(error).includes(p.id));
  if (!person) return <ErrorNote error={error} />;
  const done = sent?.error === error ? sent : null;

  const request = async () => {
    setBusy(true);
    try {
      const { status } = await actions.request(person.id);
      setSent({ error, status });
      if (status === 'accepted') onAccepted(person.id);
    } catch (failure) {
      setSent({ error, failure });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="notice reach-note" data-testid="reach-note">
      <p>{reachSentence(person, what)}</p>
      {done && 'status' in done ? (
        <p role="status" data-testid="request-sent">
          {requestSentence(person, done.status)}
        </p>
      ) : (
        <button type="button" className="small" disabled={busy} onClick={() => void request()} aria-label={`Send contact request to ${nameAndHandle(person)}`}>
          Send contact request
        </button>
      )}
      {done && 'failure' in done && <ErrorNote error={done.failure} />}
    </div>
  );
}

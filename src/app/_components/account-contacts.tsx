'use client';
import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { nameAndHandle } from '../../trpc/people.ts';
import { useContactActions, useContactLists, useLiveContacts } from '../../trpc/use-contacts.ts';
import { ErrorNote } from './error-note.tsx';
import { formatDateTime } from './format.ts';
import { PersonName } from './person-name.tsx';

type Person = { userId: string; username: string; displayName: string; at?: string };

/**
 * Contact requests to me (accept, decline), mine still waiting (the server
 * has no way to withdraw one, so they are only listed), my contacts and the
 * people I blocked. Live: contact.changed reads the lists again.
 */
export function AccountContacts() {
  useLiveContacts();
  const lists = useContactLists();
  const actions = useContactActions();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    action()
      .catch(setError)
      .finally(() => setBusy(false));
  };
  const message = (userId: string) => act(() => actions.openDirect(userId).then(() => router.push('/')));
  const button = (text: string, person: Person, run: () => void, className = 'small') => (
    <button type="button" className={className} disabled={busy} onClick={run} aria-label={`${text} ${nameAndHandle(person)}`}>
      {text}
    </button>
  );
  const data = lists.data;

  return (
    <section className="account-section" aria-labelledby="account-contacts">
      <h2 id="account-contacts">Contacts</h2>
      <p className="muted small">Someone who shares no room with you can write to you only once you accept their contact request.</p>
      <ErrorNote error={lists.error ?? error} />
      {lists.isPending && <p className="muted">Loading contacts…</p>}
      {data && (
        <>
          <People title="Requests to you" testId="incoming" people={data.incoming} empty="No requests waiting for you.">
            {(p) => (
              <>
                {button('Accept', p, () => act(() => actions.accept(p.userId)))}
                {button('Decline', p, () => act(() => actions.decline(p.userId)), 'ghost small')}
              </>
            )}
          </People>
          <People title="Your requests, waiting for an answer" testId="outgoing" people={data.outgoing} empty="None.">
            {() => <span className="muted small">Waiting</span>}
          </People>
          <People title="Your contacts" testId="contacts" people={data.contacts} empty="No contacts yet.">
            {(p) => button('Message', p, () => message(p.userId))}
          </People>
          <People title="Blocked" testId="blocked" people={data.blocked} empty="You have blocked nobody.">
            {(p) => button('Unblock', p, () => act(() => actions.unblock(p.userId)))}
          </People>
        </>
      )}
    </section>
  );
}

function People({
  title,
  testId,
  people,
  empty,
  children,
}: {
  title: string;
  testId: string;
  people: Person[];
  empty: string;
  children(p: Person): ReactNode;
}) {
  return (
    <>
      <h3 className="small">{title}</h3>
      {people.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <ul className="pick-list" aria-label={title} data-testid={testId}>
          {people.map((p) => (
            <li key={p.userId} data-testid="contact" data-username={p.username}>
              <span>
                <PersonName person={p} />
                {p.at && <span className="muted small"> · sent {formatDateTime(p.at)}</span>}
              </span>
              <span className="row-actions">{children(p)}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

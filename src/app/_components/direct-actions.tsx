'use client';
import { useState } from 'react';
import { useBlockedIds, useContactActions, useHide } from '../../trpc/use-contacts.ts';
import type { Member } from '../../trpc/use-rooms.ts';
import { ErrorNote } from './error-note.tsx';
import { PersonName } from './person-name.tsx';
import type { Confirming } from './confirm-dialog.tsx';

interface Props {
  roomId: string;
  members: readonly Member[];
  meId: string;
  /** The room panel's one confirmation dialog. */
  onConfirm(confirming: Confirming): void;
}

/** A direct room's panel: block or unblock each other person, and delete the conversation for me. */
export function DirectActions({ roomId, members, meId, onConfirm }: Props) {
  const blocked = useBlockedIds();
  const actions = useContactActions();
  const hide = useHide();
  const [error, setError] = useState<unknown>(null);
  const others = members.filter((m) => m.userId !== meId);

  const unblock = (userId: string) => {
    setError(null);
    actions.unblock(userId).catch(setError);
  };
  const block = (member: Member) =>
    onConfirm({
      title: `Block @${member.username}?`,
      body: (
        <p>
          <PersonName person={member} /> will not be able to send you direct messages or contact requests, and nothing they do will notify you. They are not
          told. Their messages in rooms you share still reach you.
        </p>
      ),
      confirm: 'Block',
      run: () => actions.block(member.userId),
    });

  return (
    <section aria-label="Blocking and deleting" className="room-panel-section room-panel-actions">
      {others.map((member) =>
        blocked.has(member.userId) ? (
          <button key={member.userId} type="button" className="small" onClick={() => unblock(member.userId)}>
            Unblock @{member.username}
          </button>
        ) : (
          <button key={member.userId} type="button" className="danger small" onClick={() => block(member)}>
            Block @{member.username}
          </button>
        ),
      )}
      <button
        type="button"
        className="danger small"
        onClick={() =>
          onConfirm({
            title: 'Delete this conversation?',
            body: (
              <p>
                For you only: it leaves your list and its messages are gone for you. The others keep everything. It comes back, with only the newer messages,
                when someone writes here.
              </p>
            ),
            confirm: 'Delete conversation',
            run: () => hide.room(roomId),
          })
        }
      >
        Delete conversation
      </button>
      <ErrorNote error={error} />
    </section>
  );
}

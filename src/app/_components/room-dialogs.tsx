'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { nameAndHandle } from '../../trpc/people.ts';
import { useHearth, useTRPC } from '../../trpc/react.tsx';
import { useDebounced } from '../../trpc/use-debounced.ts';
import { ReachNote } from './contact-request.tsx';
import { ErrorNote } from './error-note.tsx';
import { Modal } from './modal.tsx';
import { PersonName } from './person-name.tsx';

interface Props {
  onClose(): void;
  /** A room I am now in: open it. */
  onOpen(roomId: string): void;
}

export function NewRoomDialog({ onClose, onOpen }: Props) {
  const trpc = useTRPC();
  const create = useMutation(trpc.rooms.create.mutationOptions({ onSuccess: (room) => onOpen(room.id) }));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({ name: String(form.get('name') ?? ''), kind: form.get('kind') === 'closed' ? 'closed' : 'open' });
  };
  return (
    <Modal title="Create a room" onClose={onClose}>
      <form onSubmit={submit}>
        <label>
          Room name
          <input name="name" required maxLength={80} autoFocus />
        </label>
        <fieldset>
          <legend>Who can join</legend>
          <label className="inline">
            <input type="radio" name="kind" value="open" defaultChecked /> Open: anyone can find and join it
          </label>
          <label className="inline">
            <input type="radio" name="kind" value="closed" /> Closed: members only
          </label>
        </fieldset>
        <button type="submit" disabled={create.isPending}>
          Create room
        </button>
        <ErrorNote error={create.error} />
      </form>
    </Modal>
  );
}

export function BrowseRoomsDialog({ onClose, onOpen }: Props) {
  const trpc = useTRPC();
  const rooms = useQuery(trpc.rooms.browse.queryOptions());
  const join = useMutation(trpc.rooms.join.mutationOptions({ onSuccess: (_result, input) => onOpen(input.roomId) }));
  return (
    <Modal title="Browse rooms" onClose={onClose}>
      {rooms.isPending && <p className="muted">Loading rooms…</p>}
      <ErrorNote error={rooms.error} />
      {rooms.data?.length === 0 && <p className="muted">No open rooms to join. Create one!</p>}
      <ul className="pick-list" aria-label="Open rooms">
        {rooms.data?.map((room) => (
          <li key={room.id}>
            <span>
              <strong># {room.name}</strong>
              <span className="muted">
                {' '}
                · {room.memberCount} member{room.memberCount === 1 ? '' : 's'}
              </span>
            </span>
            <button type="button" onClick={() => join.mutate({ roomId: room.id })} disabled={join.isPending} aria-label={`Join ${room.name}`}>
              Join
            </button>
          </li>
        ))}
      </ul>
      <ErrorNote error={join.error} />
    </Modal>
  );
}

export function DirectMessageDialog({ onClose, onOpen }: Props) {
  const trpc = useTRPC();
  const { me } = useHearth();
  const [query, setQuery] = useState('');
  const search = useDebounced(query.trim(), 200);
  const users = useQuery(trpc.users.search.queryOptions({ query: search }, { enabled: search.length > 0 }));
  const direct = useMutation(trpc.rooms.direct.mutationOptions({ onSuccess: (room) => onOpen(room.id) }));
  const others = users.data?.filter((user) => user.id !== me.id) ?? [];
  return (
    <Modal title="New direct message" onClose={onClose}>
      <label>
        Find people
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name or username" autoFocus />
      </label>
      <ErrorNote error={users.error} />
      {search && users.data && others.length === 0 && <p className="muted">Nobody matches “{search}”.</p>}
      <ul className="pick-list" aria-label="People">
        {others.map((user) => (
          <li key={user.id}>
            <strong>
              <PersonName person={user} />
            </strong>
            <button
              type="button"
              onClick={() => direct.mutate({ userIds: [user.id] })}
              disabled={direct.isPending}
              aria-label={`Message ${nameAndHandle(user)}`}
            >
              Message
            </button>
          </li>
        ))}
      </ul>
      <ReachNote error={direct.error} people={others} what="messages" onAccepted={(userId) => direct.mutate({ userIds: [userId] })} />
    </Modal>
  );
}

'use client';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { nameAndHandle } from '../../trpc/people.ts';
import { useHearth, useTRPC } from '../../trpc/react.tsx';
import { moveActive, switcherItems, type SwitcherItem } from '../../trpc/switcher.ts';
import type { MyRoom, RoomName } from '../../trpc/use-rooms.ts';
import { ReachNote } from './contact-request.tsx';
import { Modal } from './modal.tsx';

interface Props {
  rooms: readonly MyRoom[];
  names: ReadonlyMap<string, RoomName>;
  onClose(): void;
  /** A room I am in: open it. */
  onOpen(roomId: string): void;
}

/**
 * Ctrl/Cmd+K: type part of a room's or a person's name, arrows move, Enter
 * opens (a person: our direct room, made if new), Escape closes. A combobox
 * over a listbox, so screen readers follow the highlighted row.
 */
export function QuickSwitcher({ rooms, names, onClose, onOpen }: Props) {
  const trpc = useTRPC();
  const { me } = useHearth();
  const id = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const search = useQuery({ ...trpc.users.search.queryOptions({ query: query.trim() }), enabled: query.trim() !== '', placeholderData: keepPreviousData });
  const direct = useMutation(trpc.rooms.direct.mutationOptions({ onSuccess: (room) => onOpen(room.id) }));

  const items = useMemo(
    () =>
      switcherItems({
        rooms: rooms.map((room) => ({
          id: room.id,
          label: names.get(room.id)?.text ?? room.name,
          direct: room.kind === 'direct',
          unread: room.unread,
          others: (room.memberIds ?? []).filter((userId) => userId !== me.id),
        })),
        people: (search.data ?? []).map((user) => ({ id: user.id, label: nameAndHandle(user) })),
        query,
        meId: me.id,
      }),
    [rooms, names, search.data, query, me.id],
  );
  const current = Math.min(active, items.length - 1);

  const choose = (item: SwitcherItem | undefined) => {
    if (!item) return;
    if (item.kind === 'room') onOpen(item.roomId);
    else direct.mutate({ userIds: [item.userId] });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(moveActive(current, event.key === 'ArrowDown' ? 1 : -1, items.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(items[current]);
    }
  };
  const optionId = (i: number) => `${id}-option-${i}`;

  return (
    <Modal title="Jump to a room or person" onClose={onClose}>
      <div className="switcher">
        <label htmlFor={`${id}-input`} className="sr-only">
          Room or person
        </label>
        <input
          id={`${id}-input`}
          role="combobox"
          aria-expanded={items.length > 0}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={current >= 0 && items.length > 0 ? optionId(current) : undefined}
          autoComplete="off"
          placeholder="Type a room or a name"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          autoFocus
        />
        <ul className="switcher-list" id={`${id}-list`} role="listbox" aria-label="Rooms and people" data-testid="switcher-list">
          {items.map((item, i) => (
            <li
              key={item.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === current}
              data-testid="switcher-option"
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(item)}
            >
              <span>
                {item.kind === 'person' ? 'Message ' : item.direct ? '@ ' : '# '}
                <bdi>{item.label}</bdi>
              </span>
              {item.kind === 'room' && item.unread > 0 && <span className="muted small">{item.unread} unread</span>}
            </li>
          ))}
        </ul>
        {items.length === 0 && (
          <p className="muted small" role="status">
            {query.trim() && search.isFetching ? 'Searching…' : 'Nothing matches.'}
          </p>
        )}
        <p className="muted small switcher-hint">
          <kbd>↑</kbd> <kbd>↓</kbd> to move, <kbd>Enter</kbd> to open, <kbd>Esc</kbd> to close
        </p>
        <ReachNote error={direct.error} people={search.data ?? []} what="messages" onAccepted={(userId) => direct.mutate({ userIds: [userId] })} />
      </div>
    </Modal>
  );
}

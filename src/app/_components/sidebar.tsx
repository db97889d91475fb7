'use client';
import Link from 'next/link';
import { useDirectOnline } from '../../trpc/presence.ts';
import { useHearth } from '../../trpc/react.tsx';
import type { MyRoom, RoomName } from '../../trpc/use-rooms.ts';
import { useSessionStore } from './app.tsx';
import { MentionBadge } from './mention-badge.tsx';
import { NotificationBell } from './notification-bell.tsx';
import { PeopleList, PersonName } from './person-name.tsx';

interface Props {
  rooms: readonly MyRoom[];
  names: ReadonlyMap<string, RoomName>;
  activeId: string | null;
  onSelect(roomId: string): void;
  onDialog(dialog: 'new' | 'browse' | 'direct'): void;
  onSwitcher(): void;
}

interface LinkProps {
  room: MyRoom;
  name: RoomName;
  active: boolean;
  /** Direct rooms: whether the other person (someone else in it) is online; undefined: not known yet. */
  online?: boolean;
  onSelect(): void;
}

function RoomLink({ room, name, active, online, onSelect }: LinkProps) {
  // The open room is read as it arrives; its count would only flicker.
  const unread = active ? 0 : room.unread;
  return (
    <li>
      <button
        type="button"
        className={`room-link${unread > 0 ? ' unread' : ''}`}
        aria-current={active ? 'page' : undefined}
        data-testid="room-link"
        data-room-name={name.text}
        data-unread={unread > 0 ? 'true' : 'false'}
        onClick={onSelect}
      >
        {room.kind === 'direct' && online !== undefined && (
          <span className="presence-of" data-testid="presence" data-online={online}>
            <span className={`presence${online ? ' online' : ''}`} aria-hidden="true" />
            <span className="sr-only">{online ? 'online: ' : 'offline: '}</span>
          </span>
        )}
        <span className="room-link-name">
          {room.kind === 'direct' ? '@ ' : '# '}
          {name.people ? <PeopleList people={name.people} commas /> : name.text}
          {room.archived && <span className="muted"> (archived)</span>}
        </span>
        {unread > 0 && (
          <span className="badge" data-testid="unread-badge" aria-label={`${unread} unread`}>
            {unread > 99 ? '99+' : unread}
          </span>
        )}
        <MentionBadge count={active ? 0 : room.mentions} />
      </button>
    </li>
  );
}

export function Sidebar({ rooms, names, activeId, onSelect, onDialog, onSwitcher }: Props) {
  const { me } = useHearth();
  const session = useSessionStore();
  const online = useDirectOnline(rooms);
  const groups = [
    { title: 'Rooms', rooms: rooms.filter((r) => r.kind !== 'direct'), action: { text: 'Browse', label: 'Browse rooms', dialog: 'browse' as const } },
    {
      title: 'Direct messages',
      rooms: rooms.filter((r) => r.kind === 'direct'),
      action: { text: '+ New', label: 'New direct message', dialog: 'direct' as const },
    },
  ];
  return (
    <nav className="sidebar" aria-label="Rooms and direct messages">
      <div className="sidebar-top">
        <h1 className="brand">Hearth</h1>
        <NotificationBell onOpenRoom={onSelect} />
        <button type="button" onClick={() => onDialog('new')}>
          New room
        </button>
      </div>
      <button type="button" className="ghost small switcher-open" onClick={onSwitcher} aria-keyshortcuts="Control+K Meta+K">
        Jump to a room or person <kbd>Ctrl</kbd>+<kbd>K</kbd>
      </button>
      {groups.map((group) => (
        <section key={group.title} aria-label={group.title}>
          <div className="sidebar-heading">
            <h2>{group.title}</h2>
            <button type="button" className="ghost small" aria-label={group.action.label} onClick={() => onDialog(group.action.dialog)}>
              {group.action.text}
            </button>
          </div>
          {group.rooms.length === 0 && <p className="muted small">None yet.</p>}
          <ul className="room-list">
            {group.rooms.map((room) => (
              <RoomLink
                key={room.id}
                room={room}
                name={names.get(room.id) ?? { text: '', people: null }}
                active={room.id === activeId}
                online={online.get(room.id)}
                onSelect={() => onSelect(room.id)}
              />
            ))}
          </ul>
        </section>
      ))}
      <footer className="sidebar-footer">
        <span data-testid="whoami">
          <strong>
            <PersonName person={me} />
          </strong>
        </span>
        <span className="sidebar-actions">
          <Link href="/account">Account</Link>
          {me.role === 'admin' && <Link href="/admin">Admin</Link>}
          <button type="button" className="ghost small" onClick={() => void session.logout()}>
            Log out
          </button>
        </span>
      </footer>
    </nav>
  );
}

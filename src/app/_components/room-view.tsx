'use client';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useHearth, useTRPC } from '../../trpc/react.tsx';
import type { MyRoom } from '../../trpc/use-rooms.ts';
import { useRoom } from '../../trpc/use-room.ts';
import { Composer } from './composer.tsx';
import { listNames } from './format.ts';
import { MessageList } from './message-list.tsx';

interface Props {
  room: MyRoom;
  name: string;
  onShowRooms(): void;
}

export function RoomView({ room, name, onShowRooms }: Props) {
  const trpc = useTRPC();
  const { me, outbox } = useHearth();
  const live = useRoom(room.id);

  const nameOf = useMemo(() => {
    const names = new Map(live.members.map((m) => [m.userId, m.displayName]));
    names.set(me.id, me.displayName);
    return (userId: string) => names.get(userId) ?? 'Former member';
  }, [live.members, me]);

  // "Seen by" is shown under my newest message.
  const lastMine = live.messages.findLast((m) => m.authorId === me.id);
  const receipts = useQuery(trpc.messages.receipts.queryOptions(lastMine ? { messageId: lastMine.id } : skipToken));
  const seenBy = receipts.data && receipts.data.messageId === lastMine?.id ? receipts.data.read.map(nameOf) : [];

  const online = live.members.filter((m) => live.online.includes(m.userId));
  const typing = live.typing.filter((id) => id !== me.id).map(nameOf);
  const title = room.kind === 'direct' ? name : `# ${name}`;
  const disabled = room.archived ? 'This room is archived: it is read-only.' : live.ended;

  return (
    <section className="room" aria-label={title}>
      <header className="room-header">
        <button type="button" className="only-narrow ghost" onClick={onShowRooms} aria-label="Show rooms">
          ☰
        </button>
        <div className="room-title">
          <h2>{title}</h2>
          <p className="muted small">
            {live.members.length} member{live.members.length === 1 ? '' : 's'} · {online.length} online
          </p>
        </div>
        <ul className="online" aria-label="Online now" data-testid="online-list">
          {online.map((m) => (
            <li key={m.userId} data-testid="online-user" title={`${m.displayName} is online`}>
              <span className="dot" aria-hidden="true" />
              {m.displayName}
            </li>
          ))}
        </ul>
      </header>
      {live.ended && (
        <p className="notice" role="alert">
          {live.ended}
        </p>
      )}
      <MessageList
        live={live}
        meId={me.id}
        nameOf={nameOf}
        seenBy={{ messageId: lastMine?.id ?? null, names: seenBy }}
        onRetry={(id) => outbox.retry(id)}
        onDiscard={(id) => outbox.discard(id)}
      />
      <p className="typing" aria-live="polite" data-testid="typing">
        {typing.length > 0 && `${listNames(typing)} ${typing.length === 1 ? 'is' : 'are'} typing…`}
      </p>
      <Composer roomId={room.id} roomName={title} disabled={disabled} onSend={live.send} />
    </section>
  );
}

'use client';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { nameAndHandle, type Named } from '../../trpc/people.ts';
import { useHearth, useTRPC } from '../../trpc/react.tsx';
import type { MyRoom, RoomName } from '../../trpc/use-rooms.ts';
import { useBlockedNote } from '../../trpc/use-contacts.ts';
import { useRoom } from '../../trpc/use-room.ts';
import { Composer } from './composer.tsx';
import type { EditRequest } from './message-item.tsx';
import { MessageList } from './message-list.tsx';
import { PeopleList, PersonName } from './person-name.tsx';
import { RoomPanel } from './room-panel.tsx';

interface Props {
  room: MyRoom;
  name: RoomName;
  onShowRooms(): void;
}

export function RoomView({ room, name, onShowRooms }: Props) {
  const trpc = useTRPC();
  const { me, outbox } = useHearth();
  const live = useRoom(room.id);
  const [panelOpen, setPanelOpen] = useState(false);
  const panelButton = useRef<HTMLButtonElement>(null);
  const closePanel = () => {
    setPanelOpen(false);
    panelButton.current?.focus();
  };
  // The room's own details are the freshest (room.updated refetches them); the list's copy until they load.
  const details = live.details ?? room;
  const archived = details.archived;
  // Where I had read up to when I opened the room: the "New messages" line stays there while I read.
  const [atOpen] = useState({ readSeq: room.readSeq, lastSeq: room.lastSeq });
  const [editRequest, setEditRequest] = useState<EditRequest | null>(null);
  const composer = useRef<HTMLTextAreaElement>(null);

  const personOf = useMemo(() => {
    const people = new Map<string, Named>([...live.known, ...live.members.map((m): [string, Named] => [m.userId, m])]);
    people.set(me.id, me);
    // Until the members list has loaded, nobody is a former member yet.
    const unknown: Named = { displayName: live.membersLoaded ? 'Former member' : '…', username: null };
    return (userId: string): Named => people.get(userId) ?? unknown;
  }, [live.known, live.members, live.membersLoaded, me]);

  // "Seen by" is shown under my newest message.
  const lastMine = live.messages.findLast((m) => m.authorId === me.id);
  const receipts = useQuery(trpc.messages.receipts.queryOptions(lastMine ? { messageId: lastMine.id } : skipToken));
  const seenBy = receipts.data && receipts.data.messageId === lastMine?.id ? receipts.data.read.map(personOf) : [];

  const online = live.members.filter((m) => live.online.includes(m.userId));
  const typing = live.typing.filter((id) => id !== me.id).map(personOf);
  const title = room.kind === 'direct' ? name.text : `# ${details.name}`;
  const blocked = useBlockedNote(room.kind, live.members);
  const disabled = archived ? 'This room is archived: it is read-only.' : (live.ended ?? blocked);
  const memberCount = live.membersLoaded ? live.members.length : (live.details?.memberCount ?? null);

  return (
    <>
      <section className="room" aria-label={title}>
        <header className="room-header">
          <button type="button" className="only-narrow ghost" onClick={onShowRooms} aria-label="Show rooms">
            ☰
          </button>
          <div className="room-title">
            <h2>{name.people ? <PeopleList people={name.people} commas /> : title}</h2>
            {details.topic && (
              <p className="room-topic" data-testid="room-topic" title={details.topic}>
                {details.topic}
              </p>
            )}
            <p className="muted small" data-testid="member-count" data-state={live.membersLoaded ? 'loaded' : live.membersFailed ? 'failed' : 'loading'}>
              {memberCount === null
                ? live.membersFailed
                  ? 'Members not loaded yet: trying again when the connection is back'
                  : 'Loading members…'
                : `${memberCount} member${memberCount === 1 ? '' : 's'} · ${online.length} online`}
              {archived && ' · archived'}
            </p>
          </div>
          <ul className="online" aria-label="Online now" data-testid="online-list">
            {online.map((m) => (
              <li key={m.userId} data-testid="online-user" title={`${nameAndHandle(m)} is online`}>
                <span className="dot" aria-hidden="true" />
                <PersonName person={m} />
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="ghost room-panel-toggle"
            ref={panelButton}
            aria-expanded={panelOpen}
            aria-controls={`room-panel-${room.id}`}
            onClick={() => (panelOpen ? closePanel() : setPanelOpen(true))}
          >
            {room.kind === 'direct' ? 'People' : 'Room details'}
          </button>
        </header>
        {live.ended && (
          <p className="notice" role="alert">
            {live.ended}
          </p>
        )}
        <MessageList
          live={live}
          meId={me.id}
          personOf={personOf}
          seenBy={{ messageId: lastMine?.id ?? null, people: seenBy }}
          atOpen={atOpen}
          editRequest={editRequest}
          onEditEnd={() => composer.current?.focus()}
          onRetry={(id) => outbox.retry(id)}
          onDiscard={(id) => outbox.discard(id)}
        />
        <p className="typing" aria-live="polite" data-testid="typing">
          {typing.length > 0 && (
            <>
              <PeopleList people={typing} /> {typing.length === 1 ? 'is' : 'are'} typing…
            </>
          )}
        </p>
        <Composer
          ref={composer}
          roomId={room.id}
          roomName={title}
          disabled={disabled}
          onSend={live.send}
          members={live.members}
          roomMentionLimit={live.details?.roomMentionAdminOnlyAbove ?? null}
          onEditLast={() => {
            if (!lastMine) return false;
            setEditRequest({ messageId: lastMine.id });
            return true;
          }}
        />
      </section>
      {panelOpen && (
        <div id={`room-panel-${room.id}`} className="room-panel-wrap">
          <RoomPanel
            roomId={room.id}
            kind={room.kind}
            name={details.name}
            topic={details.topic}
            archived={archived}
            members={live.members}
            online={live.online}
            onClose={closePanel}
          />
        </div>
      )}
    </>
  );
}

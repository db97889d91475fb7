'use client';
import { Fragment, useEffect, useLayoutEffect, useRef } from 'react';
import { startsDay } from '../../trpc/days.ts';
import type { Named } from '../../trpc/people.ts';
import { noticesAround } from '../../trpc/timeline.ts';
import { firstUnread, unreadBeyondLoaded, type AtOpen } from '../../trpc/unread-line.ts';
import type { useRoom } from '../../trpc/use-room.ts';
import { MessageItem, type EditRequest } from './message-item.tsx';
import { PendingItem } from './pending-item.tsx';
import { DaySeparator, JumpBar, UnreadLine, useToday } from './timeline-marks.tsx';
import { useJumps } from './use-jumps.ts';
import { SystemItem } from './system-item.tsx';

interface Props {
  live: ReturnType<typeof useRoom>;
  meId: string;
  personOf(userId: string): Named;
  seenBy: { messageId: string | null; people: Named[] };
  /** My read position when I opened the room: the "New messages" line stays where it put it. */
  atOpen: AtOpen;
  editRequest: EditRequest | null;
  onEditEnd(): void;
  onRetry(clientMessageId: string): void;
  onDiscard(clientMessageId: string): void;
}

const NEAR = 80;
const GROUP_MS = 5 * 60_000;

/**
 * History scrolls up, new messages arrive at the bottom. Reaching the top
 * loads the previous page and keeps what you were reading in place; new
 * messages scroll into view only if you were already at the bottom (or they
 * are yours).
 */
export function MessageList({ live, meId, personOf, seenBy, atOpen, editRequest, onEditEnd, onRetry, onDiscard }: Props) {
  const ref = useRef<HTMLOListElement>(null);
  const { messages, pending, hasOlder, loadingOlder, loadOlder } = live;
  const now = useToday();
  const unreadLoading = unreadBeyondLoaded(messages, { ...atOpen, hasOlder });
  const unread = unreadLoading ? null : firstUnread(messages, { ...atOpen, meId });
  const jumps = useJumps({ ref, hasUnread: unreadLoading || unread !== null, unreadLoading, loadingOlder, loadOlder });
  const atBottom = jumps.atBottom;
  const firstId = messages[0]?.id;
  const last = pending.at(-1)?.clientMessageId ?? messages.at(-1)?.id;
  const lastIsMine = pending.length > 0 || messages.at(-1)?.authorId === meId;
  const previous = useRef({ firstId, last, height: 0 });

  useLayoutEffect(() => {
    const list = ref.current;
    if (!list) return;
    const before = previous.current;
    if (firstId !== before.firstId && before.firstId !== undefined && last === before.last) {
      list.scrollTop += list.scrollHeight - before.height; // an older page went in above
    } else if (last !== before.last && (atBottom.current || lastIsMine)) {
      list.scrollTop = list.scrollHeight;
    }
    previous.current = { firstId, last, height: list.scrollHeight };
    jumps.afterRender(list);
  });

  // Keep loading older pages until the list can scroll (tall screens, short pages).
  useEffect(() => {
    const list = ref.current;
    if (list && live.loaded && hasOlder && !loadingOlder && list.scrollHeight <= list.clientHeight) void loadOlder();
  }, [live.loaded, hasOlder, loadingOlder, loadOlder, messages.length]);

  const around = noticesAround(live);

  const onScroll = () => {
    const list = ref.current;
    if (!list) return;
    jumps.onScroll(list);
    if (list.scrollTop < NEAR && hasOlder && !loadingOlder) void loadOlder();
  };

  return (
    <ol className="messages" ref={ref} onScroll={onScroll} aria-label="Messages" data-testid="messages" tabIndex={0}>
      <li className="history-edge" aria-live="polite">
        {live.loadError ? (
          <span className="error">
            {live.loadError}{' '}
            <button type="button" className="ghost small" onClick={() => void live.retryLoad()}>
              Retry
            </button>
          </span>
        ) : !live.loaded || loadingOlder ? (
          <span className="muted">Loading messages…</span>
        ) : hasOlder ? (
          <button type="button" className="ghost small" onClick={() => void loadOlder()}>
            Load older messages
          </button>
        ) : (
          <span className="muted">This is the beginning of the room.</span>
        )}
      </li>
      {messages.map((message, i) => {
        const prev = messages[i - 1];
        const newDay = startsDay(messages, i);
        const isUnread = message.id === unread?.id;
        const grouped =
          !newDay &&
          !around.before[i]?.length &&
          !isUnread &&
          prev !== undefined &&
          prev.authorId === message.authorId &&
          Date.parse(message.createdAt) - Date.parse(prev.createdAt) < GROUP_MS;
        return (
          <Fragment key={message.id}>
            {around.before[i]?.map((notice) => (
              <SystemItem key={`n${notice.seq}`} notice={notice} personOf={personOf} />
            ))}
            {newDay && <DaySeparator at={message.createdAt} now={now} />}
            {isUnread && <UnreadLine />}
            <MessageItem
              message={message}
              author={personOf(message.authorId)}
              mine={message.authorId === meId}
              grouped={grouped}
              seenBy={seenBy.messageId === message.id ? seenBy.people : null}
              onEdit={live.edit}
              onDelete={live.remove}
              editRequest={editRequest}
              onEditEnd={onEditEnd}
              personOf={personOf}
            />
          </Fragment>
        );
      })}
      {around.after.map((notice) => (
        <SystemItem key={`n${notice.seq}`} notice={notice} personOf={personOf} />
      ))}
      {pending.map((item) => (
        <PendingItem key={item.clientMessageId} item={item} author={personOf(meId)} authorId={meId} onRetry={onRetry} onDiscard={onDiscard} />
      ))}
      <JumpBar toUnread={jumps.toUnread} toLatest={jumps.toLatest} />
    </ol>
  );
}

'use client';
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { Named } from '../../trpc/people.ts';
import { timelineRows } from '../../trpc/timeline.ts';
import type { useRoom } from '../../trpc/use-room.ts';
import { MessageItem } from './message-item.tsx';
import { PendingItem } from './pending-item.tsx';
import { SystemItem } from './system-item.tsx';

interface Props {
  live: ReturnType<typeof useRoom>;
  meId: string;
  personOf(userId: string): Named;
  seenBy: { messageId: string | null; people: Named[] };
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
export function MessageList({ live, meId, personOf, seenBy, onRetry, onDiscard }: Props) {
  const ref = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const { messages, pending, hasOlder, loadingOlder, loadOlder } = live;
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
  });

  // Keep loading older pages until the list can scroll (tall screens, short pages).
  useEffect(() => {
    const list = ref.current;
    if (list && live.loaded && hasOlder && !loadingOlder && list.scrollHeight <= list.clientHeight) void loadOlder();
  }, [live.loaded, hasOlder, loadingOlder, loadOlder, messages.length]);

  const onScroll = () => {
    const list = ref.current;
    if (!list) return;
    atBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < NEAR;
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
      {timelineRows(live).map((row, i, rows) => {
        if (row.kind === 'notice') return <SystemItem key={`n${row.notice.seq}`} notice={row.notice} personOf={personOf} />;
        const { message } = row;
        const before = rows[i - 1];
        const prev = before?.kind === 'message' ? before.message : undefined;
        const grouped = prev !== undefined && prev.authorId === message.authorId && Date.parse(message.createdAt) - Date.parse(prev.createdAt) < GROUP_MS;
        return (
          <MessageItem
            key={message.id}
            message={message}
            author={personOf(message.authorId)}
            mine={message.authorId === meId}
            grouped={grouped}
            seenBy={seenBy.messageId === message.id ? seenBy.people : null}
            onEdit={live.edit}
            onDelete={live.remove}
          />
        );
      })}
      {pending.map((item) => (
        <PendingItem key={item.clientMessageId} item={item} author={personOf(meId)} onRetry={onRetry} onDiscard={onDiscard} />
      ))}
    </ol>
  );
}

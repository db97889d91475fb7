'use client';
import type { ConnectionStatus } from '../../trpc/connection.ts';
import type { OutboxItem } from '../../trpc/outbox.ts';
import type { Named } from '../../trpc/people.ts';
import { useConnectionStatus } from '../../trpc/react.tsx';
import { initials } from './format.ts';
import { Header } from './message-item.tsx';
import { MessageText } from './message-text.tsx';

function pendingText(item: OutboxItem, status: ConnectionStatus): string {
  if (item.status === 'sending') return 'Sending…';
  if (status === 'offline') return 'Queued: it will be sent when you are back online.';
  return item.error ? `Not sent yet: ${item.error} It will be retried.` : 'Sending…';
}

/** A message of mine the server has not acknowledged yet: queued, in flight or refused. */
export function PendingItem({
  item,
  author,
  authorId,
  onRetry,
  onDiscard,
}: {
  item: OutboxItem;
  author: Named;
  authorId: string;
  onRetry(id: string): void;
  onDiscard(id: string): void;
}) {
  const failed = item.status === 'failed';
  const status = useConnectionStatus();
  return (
    <li
      className={`message mine pending${failed ? ' failed' : ''}`}
      data-testid="message"
      data-status={failed ? 'failed' : 'pending'}
      data-client-id={item.clientMessageId}
      data-author={author.displayName}
    >
      <span className="avatar" aria-hidden="true">
        {initials(author.displayName)}
      </span>
      <div className="message-main">
        <Header author={author} authorId={authorId} />
        <p className="message-body" data-testid="message-body">
          <MessageText text={item.body} />
        </p>
        {failed ? (
          <p className="error small" role="alert">
            Not sent: {item.error}{' '}
            <button type="button" className="small" onClick={() => onRetry(item.clientMessageId)}>
              Retry
            </button>{' '}
            <button type="button" className="ghost small" onClick={() => onDiscard(item.clientMessageId)}>
              Discard
            </button>
          </p>
        ) : (
          <p className="muted small" data-testid="pending-status">
            {pendingText(item, status)}
          </p>
        )}
      </div>
    </li>
  );
}

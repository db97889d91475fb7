'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { feedWords, titlePieces, type FeedItem } from '../../trpc/feed.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { useFeed } from '../../trpc/use-feed.ts';
import { ErrorNote } from './error-note.tsx';
import { formatDateTime } from './format.ts';
import { Modal } from './modal.tsx';
import { PersonName } from './person-name.tsx';
import { useDesktopPermission } from './use-desktop-notifications.ts';

interface Props {
  onClose(): void;
  onOpenRoom(roomId: string): void;
}

/** My notifications, newest first: open one (its room), read them all, answer a contact request. */
export function NotificationFeed({ onClose, onOpenRoom }: Props) {
  const { items, unread, feed, markRead, read, readAll } = useFeed();
  const open = (item: FeedItem) => {
    read(item);
    if (item.roomId) onOpenRoom(item.roomId);
  };
  return (
    <Modal title="Notifications" onClose={onClose}>
      <div className="feed">
        <DesktopSwitch />
        <div className="feed-bar">
          <p className="muted small" data-testid="feed-unread">
            {unread > 0 ? `${unread} unread` : 'All read'}
          </p>
          <button type="button" className="small" onClick={readAll} disabled={unread === 0 || markRead.isPending}>
            Mark all as read
          </button>
        </div>
        {feed.isPending && <p className="muted">Loading…</p>}
        {feed.isSuccess && items.length === 0 && <p className="muted">Nothing yet: mentions, direct messages and contact requests show here.</p>}
        <ul className="feed-list">
          {items.map((item) => (
            <FeedRow key={item.id} item={item} onOpen={() => open(item)} onAnswered={() => read(item)} />
          ))}
        </ul>
        {feed.hasNextPage && (
          <button type="button" className="ghost small" onClick={() => void feed.fetchNextPage()} disabled={feed.isFetchingNextPage}>
            {feed.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        )}
        <ErrorNote error={feed.error ?? markRead.error} />
      </div>
    </Modal>
  );
}

function FeedRow({ item, onOpen, onAnswered }: { item: FeedItem; onOpen(): void; onAnswered(): void }) {
  const { text } = feedWords(item);
  const body = (
    <>
      <span className="feed-title">
        {!item.read && <span className="sr-only">Unread: </span>}
        {titlePieces(item).map((piece, i) => (
          <Fragment key={i}>
            {i > 0 && item.actor && <PersonName person={item.actor} />}
            {piece}
          </Fragment>
        ))}
      </span>
      {text !== null && <span className={`feed-text${item.excerpt === null ? ' muted' : ''}`}>{text}</span>}
      <time className="muted small" dateTime={item.createdAt}>
        {formatDateTime(item.createdAt)}
      </time>
    </>
  );
  return (
    <li className={`feed-item${item.read ? '' : ' unread'}`} data-testid="feed-item" data-kind={item.kind} data-read={item.read}>
      {!item.read && <span className="feed-dot" aria-hidden="true" />}
      {item.roomId ? (
        <button type="button" className="feed-open" onClick={onOpen}>
          {body}
        </button>
      ) : (
        <div className="feed-open">{body}</div>
      )}
      {item.kind === 'contact.request' && item.actor && <ContactAnswer userId={item.actor.id} onAnswered={onAnswered} />}
    </li>
  );
}

/** Accept or Decline, while their request still waits (contacts.list says). */
function ContactAnswer({ userId, onAnswered }: { userId: string; onAnswered(): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const contacts = useQuery({ ...trpc.contacts.list.queryOptions(), staleTime: 0 });
  const [answer, setAnswer] = useState<'accepted' | 'declined' | null>(null);
  const done = (status: 'accepted' | 'declined') => {
    setAnswer(status);
    onAnswered();
    void queryClient.invalidateQueries({ queryKey: trpc.contacts.list.queryKey() });
  };
  const accept = useMutation(trpc.contacts.accept.mutationOptions({ onSuccess: () => done('accepted') }));
  const decline = useMutation(trpc.contacts.decline.mutationOptions({ onSuccess: () => done('declined') }));
  if (answer) return <p className="muted small feed-answer">{answer === 'accepted' ? 'Accepted: you are contacts now.' : 'Declined.'}</p>;
  const waiting = contacts.data?.incoming.some((request) => request.userId === userId);
  if (!waiting) return contacts.data?.contacts.some((c) => c.userId === userId) ? <p className="muted small feed-answer">You are contacts.</p> : null;
  const busy = accept.isPending || decline.isPending;
  return (
    <div className="feed-answer">
      <button type="button" className="small" onClick={() => accept.mutate({ userId })} disabled={busy}>
        Accept
      </button>
      <button type="button" className="small ghost" onClick={() => decline.mutate({ userId })} disabled={busy}>
        Decline
      </button>
      <ErrorNote error={accept.error ?? decline.error} />
    </div>
  );
}

/** Desktop notifications for this browser: a button while undecided, plain words when blocked. */
function DesktopSwitch() {
  const { permission, ask } = useDesktopPermission();
  if (permission === 'granted' || permission === 'unsupported') return null;
  if (permission === 'denied')
    return (
      <p className="notice small">
        Desktop notifications are blocked for this site; allow them in your browser’s site settings to be told while Hearth is in the background.
      </p>
    );
  return (
    <button type="button" className="ghost small feed-desktop" onClick={ask}>
      Turn on desktop notifications
    </button>
  );
}

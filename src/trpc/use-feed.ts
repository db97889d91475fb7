'use client';
import { useInfiniteQuery, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useTRPC } from './react.tsx';
import { refresh } from './refresh.ts';
import { itemsOf, unreadOf, withNotification, withRead, withUnread, type FeedEvent, type FeedItem } from './feed.ts';

type Trpc = ReturnType<typeof useTRPC>;

const INPUT = {};
const feedKey = (trpc: Trpc) => trpc.notifications.list.infiniteQueryKey(INPUT);

type Arrival = (item: FeedItem) => void;
const arrivals = new Set<Arrival>();

/** New (or updated) unread notifications as they arrive on this page: desktop notifications listen here. */
export function onArrival(listener: Arrival): () => void {
  arrivals.add(listener);
  return () => void arrivals.delete(listener);
}

/**
 * `events.user`'s `notification` and `notifications.read`, from useMyRooms:
 * written into the feed's pages so the bell, the title and the open feed
 * follow at once, on every page of mine.
 */
export function onFeedEvent(queryClient: QueryClient, trpc: Trpc, event: FeedEvent): void {
  const key = feedKey(trpc);
  const known = queryClient.getQueryData(key);
  if (event.type === 'notification') {
    if (known) queryClient.setQueryData(key, withNotification(known, event.notification, event.unread));
    if (!event.notification.read) for (const listener of arrivals) listener(event.notification);
  } else if (known) {
    queryClient.setQueryData(key, withUnread(known, event.unread));
  }
  // Read elsewhere: which ones is not said, so the pages are read again
  // (also when the first page is still on its way, or a fetch may answer with older data).
  const stale = !known || queryClient.isFetching({ queryKey: key }) > 0 || (event.type === 'notifications.read' && event.unread > 0);
  if (stale) void refresh(queryClient, key);
}

/** My notifications, newest first, page by page, and the unread count the server last gave. */
export function useFeed() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = feedKey(trpc);
  const feed = useInfiniteQuery(trpc.notifications.list.infiniteQueryOptions(INPUT, { getNextPageParam: (page) => page.nextCursor }));
  const markRead = useMutation(
    trpc.notifications.markRead.mutationOptions({
      onMutate: (input) => {
        const data = queryClient.getQueryData(key);
        if (!data) return;
        queryClient.setQueryData(key, 'all' in input ? withUnread(data, 0) : withRead(data, new Set(input.ids)));
      },
      onSuccess: ({ unread }) => {
        const data = queryClient.getQueryData(key);
        if (data) queryClient.setQueryData(key, withUnread(data, unread));
      },
      onError: () => void refresh(queryClient, key),
    }),
  );
  return {
    items: itemsOf(feed.data),
    unread: unreadOf(feed.data),
    feed,
    markRead,
    read: (item: FeedItem) => {
      if (!item.read) markRead.mutate({ ids: [item.id] });
    },
    readAll: () => markRead.mutate({ all: true }),
  };
}

/** Reads the feed again: after events.user restarted, notifications sent meanwhile were not heard (useMyRooms). */
export function refreshFeed(queryClient: QueryClient, trpc: Trpc): void {
  void refresh(queryClient, feedKey(trpc));
}

'use client';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useMemo, useState } from 'react';
import type { AppRouter } from '../server/api/root.ts';
import { onContactsEvent } from './contact-events.ts';
import { isContactsEvent } from './contacts.ts';
import { isFeedEvent } from './feed.ts';
import { nameAndHandle, type Named } from './people.ts';
import { afterRestarts, onDirectPresence, refreshDirectMembers } from './presence.ts';
import { useHearth, useTRPC } from './react.tsx';
import { refresh } from './refresh.ts';
import { onFeedEvent, refreshFeed } from './use-feed.ts';

type Outputs = inferRouterOutputs<AppRouter>;
export type MyRoom = Outputs['rooms']['list'][number];
export type Member = Outputs['rooms']['members'][number];

/**
 * My rooms with live unread counts: `rooms.list` once, then `events.user`
 * keeps the counts current (a read on another device lowers them too) and
 * says when I am added to or removed from a room.
 */
export function useMyRooms() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rooms = useQuery(trpc.rooms.list.queryOptions());
  const { accountChanged } = useHearth();
  // A restart of the stream may have missed presence, contact changes and notifications.
  const [onStarted] = useState(() =>
    afterRestarts(() => {
      refreshDirectMembers(queryClient, trpc);
      void refresh(queryClient, trpc.contacts.list.queryKey());
      refreshFeed(queryClient, trpc);
    }),
  );

  useSubscription(
    trpc.events.user.subscriptionOptions(undefined, {
      onStarted,
      onData(event) {
        if (isContactsEvent(event)) return onContactsEvent(queryClient, trpc, event);
        if (isFeedEvent(event)) return onFeedEvent(queryClient, trpc, event);
        if (event.type === 'presence') return onDirectPresence(queryClient, trpc, event);
        if (event.type === 'account.changed') return accountChanged();
        // The room view and the direct message's name both read this list.
        if (event.type === 'member.changed') return void refresh(queryClient, trpc.rooms.members.queryKey({ roomId: event.roomId }));
        if (event.type !== 'unread') {
          void refresh(queryClient, trpc.rooms.list.queryKey());
          void refresh(queryClient, trpc.rooms.browse.queryKey());
          return;
        }
        const key = trpc.rooms.list.queryKey();
        const known = queryClient.getQueryData(key)?.some((room) => room.id === event.roomId);
        if (known) {
          queryClient.setQueryData(key, (list) =>
            list?.map((room) => (room.id === event.roomId ? { ...room, unread: event.unread, mentions: event.mentions, lastSeq: event.lastSeq } : room)),
          );
        }
        // A fetch under way may answer with counts from before this event.
        if (!known || queryClient.isFetching({ queryKey: key }) > 0) void refresh(queryClient, key);
      },
    }),
  );

  return rooms;
}

/** How a room is named: `people` for a direct room, named after the others in it. */
export interface RoomName {
  text: string;
  people: readonly Named[] | null;
}

/** Direct rooms are named after the other people in them, each with their @username. */
export function useRoomNames(rooms: readonly MyRoom[]): ReadonlyMap<string, RoomName> {
  const trpc = useTRPC();
  const { me } = useHearth();
  const direct = useMemo(() => rooms.filter((room) => room.kind === 'direct'), [rooms]);
  const memberLists = useQueries({
    queries: direct.map((room) => ({ ...trpc.rooms.members.queryOptions({ roomId: room.id }), staleTime: 60_000 })),
    combine: membersOnly,
  });
  return useMemo(() => {
    const names = new Map<string, RoomName>();
    for (const room of rooms) if (room.kind !== 'direct') names.set(room.id, { text: room.name, people: null });
    direct.forEach((room, i) => {
      const others = (memberLists[i] ?? []).filter((m) => m.userId !== me.id);
      names.set(room.id, others.length ? { text: others.map(nameAndHandle).join(', '), people: others } : { text: 'Direct message', people: null });
    });
    return names;
  }, [rooms, direct, memberLists, me.id]);
}

/**
 * Module-level, so TanStack Query keeps its result (structurally shared)
 * until some member list's data changes, not on every fetch-state flip.
 */
function membersOnly(results: ReadonlyArray<{ data?: readonly Member[] }>): ReadonlyArray<readonly Member[] | undefined> {
  return results.map((result) => result.data);
}

'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useMemo } from 'react';
import { messageHidden, roomHidden } from './contact-events.ts';
import { blockedNote, blockedOther } from './contacts.ts';
import { useHearth, useTRPC, useTRPCClient } from './react.tsx';
import { refresh } from './refresh.ts';
import { openRoomNext } from './room-to-open.ts';
import type { Member } from './use-rooms.ts';

/** My contacts, the requests to me and mine, and whom I blocked (contacts.list). */
export function useContactLists(enabled = true) {
  const trpc = useTRPC();
  return useQuery(trpc.contacts.list.queryOptions(undefined, { enabled }));
}

/** The ids of the people I blocked (empty until contacts.list has loaded; `enabled` false: not asked). */
export function useBlockedIds(enabled = true): ReadonlySet<string> {
  const lists = useContactLists(enabled);
  return useMemo(() => new Set(lists.data?.blocked.map((p) => p.userId)), [lists.data]);
}

/**
 * For a page without the room list (Account): keeps contacts.list live on
 * its own events.user stream. The chat page's useMyRooms does it there.
 */
export function useLiveContacts() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useSubscription(
    trpc.events.user.subscriptionOptions(undefined, {
      onStarted: () => void refresh(queryClient, trpc.contacts.list.queryKey()),
      onData: (event) => {
        if (event.type === 'contact.changed') void refresh(queryClient, trpc.contacts.list.queryKey());
      },
    }),
  );
}

/**
 * Requests, answers and blocks. Each refreshes my lists at once; the other
 * person's pages (and my other ones) hear `contact.changed`.
 */
export function useContactActions() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const after = <T>(result: T) => {
    void refresh(queryClient, trpc.contacts.list.queryKey());
    return result;
  };
  return {
    request: (userId: string) => client.contacts.request.mutate({ userId }).then(after),
    accept: (userId: string) => client.contacts.accept.mutate({ userId }).then(after),
    decline: (userId: string) => client.contacts.decline.mutate({ userId }).then(after),
    block: (userId: string) => client.contacts.block.mutate({ userId }).then(after),
    unblock: (userId: string) => client.contacts.unblock.mutate({ userId }).then(after),
    /**
     * **Message**: the direct room with them (made if new), for the chat page
     * to open next. Its room list is read first: a cached one without the
     * room would close it at once.
     */
    openDirect: async (userId: string) => {
      const room = await client.rooms.direct.mutate({ userIds: [userId] });
      await queryClient.fetchQuery({ ...trpc.rooms.list.queryOptions(), staleTime: 0 });
      openRoomNext(room.id);
    },
  };
}

/** Delete for me: a message, or a whole direct conversation. Both leave this page at once. */
export function useHide() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  return {
    message: async (roomId: string, messageId: string) => {
      await client.messages.hide.mutate({ messageId });
      messageHidden(roomId, messageId);
    },
    room: async (roomId: string) => {
      await client.rooms.hide.mutate({ roomId });
      roomHidden(queryClient, trpc, roomId);
    },
  };
}

/** What a direct room's composer says instead of sending when I blocked the other person; null otherwise. */
export function useBlockedNote(kind: string, members: readonly Member[]): string | null {
  const { me } = useHearth();
  // Only a direct room asks for the contact lists.
  const person = blockedOther(kind, members, me.id, useBlockedIds(kind === 'direct'));
  return person && blockedNote(person);
}

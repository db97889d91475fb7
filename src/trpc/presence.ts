'use client';
import { useQueries, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useHearth, useTRPC } from './react.tsx';
import { refresh } from './refresh.ts';

type Trpc = ReturnType<typeof useTRPC>;

/**
 * Who of the people in my direct rooms is online, for the sidebar's dots.
 * The member lists (shared with the room names) say it first; `events.user`
 * then reports each change in a direct room, written into those lists.
 */
export function onDirectPresence(queryClient: QueryClient, trpc: Trpc, event: { roomId: string; online: string[] }) {
  queryClient.setQueryData(trpc.rooms.members.queryKey({ roomId: event.roomId }), (members) =>
    members?.map((m) => ({ ...m, online: event.online.includes(m.userId) })),
  );
}

/** After the user stream was down, changes may have been missed: read the direct rooms' members again. */
export function refreshDirectMembers(queryClient: QueryClient, trpc: Trpc) {
  const rooms = queryClient.getQueryData(trpc.rooms.list.queryKey()) ?? [];
  for (const room of rooms) if (room.kind === 'direct') void refresh(queryClient, trpc.rooms.members.queryKey({ roomId: room.id }));
}

/** A callback for a stream's every start but the first. */
export function afterRestarts(onRestart: () => void): () => void {
  let starts = 0;
  return () => {
    if (starts++ > 0) onRestart();
  };
}

/** Per direct room: whether someone in it other than me is online (undefined: not known yet). */
export function useDirectOnline(rooms: ReadonlyArray<{ id: string; kind: string }>): ReadonlyMap<string, boolean> {
  const trpc = useTRPC();
  const { me } = useHearth();
  const direct = useMemo(() => rooms.filter((room) => room.kind === 'direct'), [rooms]);
  const lists = useQueries({
    queries: direct.map((room) => ({ ...trpc.rooms.members.queryOptions({ roomId: room.id }), staleTime: 60_000 })),
  });
  const online = lists.map((list) => list.data?.some((m) => m.userId !== me.id && m.online));
  const key = online.join();
  return useMemo(
    () => new Map(direct.flatMap((room, i) => (online[i] === undefined ? [] : [[room.id, online[i]] as const]))),
    // `key` stands for `online`: a new array every render, the same values most of the time.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [direct, key],
  );
}

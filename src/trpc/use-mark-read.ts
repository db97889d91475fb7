'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC, useTRPCClient } from './react.tsx';
import { readableSeq, type Timeline } from './timeline.ts';

const visible = () => typeof document !== 'undefined' && document.visibilityState === 'visible';

/**
 * Marks the room read up to the newest event we have, whenever the room is on
 * screen (the tab is visible) and something new arrived. The server moves read
 * positions forward only, so a late or repeated call is harmless.
 */
export function useMarkRead(roomId: string, timeline: Timeline) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const marked = useRef(0);
  const [isVisible, setVisible] = useState(visible);

  useEffect(() => {
    const onChange = () => setVisible(visible());
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);

  const seq = readableSeq(timeline);
  useEffect(() => {
    if (!timeline.loaded || !isVisible || seq <= marked.current) return;
    marked.current = seq;
    client.messages.markRead.mutate({ roomId, seq }).then(
      () =>
        queryClient.setQueryData(trpc.rooms.list.queryKey(), (rooms) =>
          rooms?.map((room) => (room.id === roomId ? { ...room, unread: 0, readSeq: Math.max(room.readSeq, seq) } : room)),
        ),
      () => {
        // Try again with the next event or visibility change.
        if (marked.current === seq) marked.current = 0;
      },
    );
  }, [client, queryClient, trpc, roomId, seq, isVisible, timeline.loaded]);
}

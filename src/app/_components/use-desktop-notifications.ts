'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import {
  anyTabInFront,
  askDesktopPermission,
  desktopPermission,
  holdWhileVisible,
  isNotifier,
  showDesktop,
  standAsNotifier,
  type DesktopPermission,
} from '../../trpc/desktop-notify.ts';
import { desktopWords } from '../../trpc/feed.ts';
import { useTRPC, useTRPCClient } from '../../trpc/react.tsx';
import { onArrival } from '../../trpc/use-feed.ts';

/**
 * A system notification for each new notification while this page is hidden,
 * shown by one tab only. Pushes go only to people with no open connection, and
 * this page hears the event only while connected, so a page that hears it is
 * never also pushed to: no device is told twice.
 */
export function useDesktopNotifications(openRoom: (roomId: string) => void): void {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  // The account's "Show message text" (for pushes), read when one arrives; shown with text until known.
  useQuery({ ...trpc.push.settings.queryOptions(), staleTime: 60_000 });

  useEffect(() => holdWhileVisible(), []);
  useEffect(() => standAsNotifier(), []);
  useEffect(
    () =>
      onArrival((item) => {
        if (desktopPermission() !== 'granted' || document.visibilityState !== 'hidden' || !isNotifier()) return;
        void (async () => {
          // A Hearth tab in front has it in its bell.
          if (await anyTabInFront()) return;
          const preview = queryClient.getQueryData(trpc.push.settings.queryKey())?.preview ?? true;
          const { title, body } = desktopWords(item, preview);
          const onClick = () => {
            if (item.roomId) openRoom(item.roomId);
            void client.notifications.markRead.mutate({ ids: [item.id] }).catch(() => undefined);
          };
          await showDesktop({ title, body, tag: item.id, url: item.roomId ? `/#room=${item.roomId}` : '/', onClick });
        })().catch(() => {
          // The browser would not show it (some want the service worker): the feed and the bell still have it.
        });
      }),
    [client, queryClient, trpc, openRoom],
  );
}

/** This browser's permission for desktop notifications, and a way to ask (from a click). */
export function useDesktopPermission(): { permission: DesktopPermission; ask(): void } {
  const [permission, setPermission] = useState(desktopPermission);
  const ask = useCallback(() => void askDesktopPermission().then(setPermission, () => setPermission(desktopPermission())), []);
  return { permission, ask };
}

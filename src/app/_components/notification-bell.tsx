'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { bellLabel, countText } from '../../trpc/feed.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { useFeed } from '../../trpc/use-feed.ts';
import { NotificationFeed } from './notification-feed.tsx';
import { useDesktopNotifications } from './use-desktop-notifications.ts';
import { useTabBadge } from './use-tab-badge.ts';

/**
 * The sidebar's bell: my unread notification count, the feed behind it, and
 * what follows the count outside the page (the tab's title and icon, desktop
 * notifications while the page is hidden).
 */
export function NotificationBell({ onOpenRoom }: { onOpenRoom(roomId: string): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { unread } = useFeed();
  const [open, setOpen] = useState(false);

  // A room I was just added to may not be in my list yet: read it first, or the chat would close it again.
  const openRoom = useCallback(
    async (roomId: string) => {
      const key = trpc.rooms.list.queryKey();
      if (!queryClient.getQueryData(key)?.some((room) => room.id === roomId)) await queryClient.invalidateQueries({ queryKey: key });
      onOpenRoom(roomId);
    },
    [queryClient, trpc, onOpenRoom],
  );
  const openNow = useCallback((roomId: string) => void openRoom(roomId), [openRoom]);
  useTabBadge(unread);
  useDesktopNotifications(openNow);

  return (
    <>
      <button type="button" className="ghost bell" aria-label={bellLabel(unread)} aria-haspopup="dialog" data-testid="bell" onClick={() => setOpen(true)}>
        <svg className="bell-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M12 3a6 6 0 0 0-6 6v3.6L4.3 16h15.4L18 12.6V9a6 6 0 0 0-6-6Zm-2.2 15a2.3 2.3 0 0 0 4.4 0Z" fill="currentColor" />
        </svg>
        {unread > 0 && (
          <span className="badge" aria-hidden="true" data-testid="bell-count">
            {countText(unread)}
          </span>
        )}
      </button>
      {open && (
        <NotificationFeed
          onClose={() => setOpen(false)}
          onOpenRoom={(roomId) => {
            setOpen(false);
            openNow(roomId);
          }}
        />
      )}
    </>
  );
}

import { useEffect } from 'react';

/**
 * A click on a push notification while Hearth is open: the service worker
 * (public/sw.js) focuses this tab and posts the notification's url, and the
 * room it names opens here, without reloading the page.
 */
export function usePushClicks(openRoom: (roomId: string) => void): void {
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const onMessage = (event: MessageEvent<unknown>) => {
      const data = event.data as { type?: unknown; url?: unknown } | null;
      if (data?.type !== 'hearth.open' || typeof data.url !== 'string') return;
      const roomId = /#room=([\w-]+)$/.exec(data.url)?.[1];
      if (roomId) openRoom(roomId);
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    return () => navigator.serviceWorker.removeEventListener('message', onMessage);
  }, [openRoom]);
}

/**
 * Desktop notifications from an open page: the browser's side (permission,
 * one tab of several, showing one). Which notifications and with what words
 * is decided in use-desktop-notifications.ts and feed.ts.
 */

export type DesktopPermission = NotificationPermission | 'unsupported';

export function desktopPermission(): DesktopPermission {
  return typeof window !== 'undefined' && 'Notification' in window ? Notification.permission : 'unsupported';
}

/** Asks from a click, as browsers require. */
export async function askDesktopPermission(): Promise<DesktopPermission> {
  if (desktopPermission() === 'unsupported') return 'unsupported';
  return Notification.requestPermission();
}

const NOTIFIER = 'hearth.desktop-notifier';
let notifier = false;

/**
 * One tab of this browser is the notifier: the first to get the Web Lock,
 * held while it is open; when it closes, the next one waiting gets it. Only
 * that tab shows desktop notifications, so several tabs show each one once.
 * (Not through localStorage: its writes reach other tabs late.) Without Web
 * Locks every tab notifies: a duplicate, never a loss. Returns a stop.
 */
export function standAsNotifier(): () => void {
  if (typeof navigator === 'undefined' || !navigator.locks) {
    notifier = true;
    return () => undefined;
  }
  const stop = new AbortController();
  navigator.locks
    .request(NOTIFIER, { signal: stop.signal }, () => {
      notifier = true;
      return new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
    })
    .catch(() => undefined) // aborted while waiting
    .finally(() => (notifier = false));
  return () => stop.abort();
}

export const isNotifier = (): boolean => notifier;

const IN_FRONT = 'hearth.in-front';

/**
 * While this tab is visible it holds a shared Web Lock, so a hidden tab can
 * ask whether any Hearth tab of this browser is in front (then the person
 * sees the bell there, and no system notification is needed). Returns a stop.
 */
export function holdWhileVisible(): () => void {
  if (typeof navigator === 'undefined' || !navigator.locks) return () => undefined;
  let release: (() => void) | null = null;
  const follow = () => {
    if (document.visibilityState === 'visible' && !release) {
      const held = new Promise<void>((resolve) => (release = resolve));
      void navigator.locks.request(IN_FRONT, { mode: 'shared' }, () => held);
    } else if (document.visibilityState !== 'visible' && release) {
      release();
      release = null;
    }
  };
  follow();
  document.addEventListener('visibilitychange', follow);
  return () => {
    document.removeEventListener('visibilitychange', follow);
    release?.();
  };
}

export async function anyTabInFront(): Promise<boolean> {
  if (typeof navigator === 'undefined' || !navigator.locks) return false;
  const { held = [] } = await navigator.locks.query();
  return held.some((lock) => lock.name === IN_FRONT);
}

export interface Desktop {
  title: string;
  body: string;
  tag: string;
  /** Where a click goes: `/#room=<id>`, as a push's url. */
  url: string;
  onClick(): void;
}

/**
 * With Hearth's service worker active (push turned on here), it shows the
 * notification and handles the click as it does a push's (focus this tab,
 * open the room: use-push-clicks.ts); otherwise a plain Notification.
 */
export async function showDesktop({ title, body, tag, url, onClick }: Desktop): Promise<void> {
  const icon = '/icon.svg';
  const registration = 'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistration('/') : undefined;
  if (registration?.active) {
    await registration.showNotification(title, { body, tag, icon, data: { url: new URL(url, window.location.origin).href } });
    return;
  }
  const notification = new Notification(title, { body, tag, icon });
  notification.onclick = () => {
    window.focus();
    notification.close();
    onClick();
  };
}

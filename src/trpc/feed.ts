import type { InfiniteData } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../server/api/root.ts';
import { notificationBody, notificationPrivateText, notificationTitle } from '../shared/notification-text.ts';

type Outputs = inferRouterOutputs<AppRouter>;
export type FeedPage = Outputs['notifications']['list'];
export type FeedItem = FeedPage['items'][number];
/** The feed's pages, whatever the cursor's type. */
export type FeedData<P = unknown> = InfiniteData<FeedPage, P>;

/** The two `events.user` events the feed follows. */
export type FeedEvent = { type: 'notification'; notification: FeedItem; unread: number } | { type: 'notifications.read'; unread: number };

export const isFeedEvent = (event: { type: string }): event is FeedEvent => event.type === 'notification' || event.type === 'notifications.read';

/** A count as a badge shows it: "99+" past 99. */
export const countText = (count: number): string => (count > 99 ? '99+' : String(count));

/** The browser tab's title: "(3) Hearth" while there are unread notifications. */
export const tabTitle = (unread: number): string => (unread > 0 ? `(${countText(unread)}) Hearth` : 'Hearth');

/** The bell's name for screen readers. */
export const bellLabel = (unread: number): string => (unread > 0 ? `Notifications, ${unread} unread` : 'Notifications, none unread');

/** The unread count the server last gave: the newest page's. */
export const unreadOf = <P>(data: FeedData<P> | undefined): number => data?.pages[0]?.unread ?? 0;

/** A new or updated notification goes to the top (an update has a new time), once. */
export function withNotification<P>(data: FeedData<P>, item: FeedItem, unread: number): FeedData<P> {
  const pages = data.pages.map((page, i) => ({
    ...page,
    unread: i === 0 ? unread : page.unread,
    items: [...(i === 0 ? [item] : []), ...page.items.filter((old) => old.id !== item.id)],
  }));
  return { ...data, pages };
}

/** The new count; at 0 every item is read, on every page. */
export function withUnread<P>(data: FeedData<P>, unread: number): FeedData<P> {
  const pages = data.pages.map((page, i) => ({
    ...page,
    unread: i === 0 ? unread : page.unread,
    items: unread === 0 ? page.items.map((item) => (item.read ? item : { ...item, read: true })) : page.items,
  }));
  return { ...data, pages };
}

/** Some items read here (the server's count follows in `notifications.read`). */
export function withRead<P>(data: FeedData<P>, ids: ReadonlySet<string>): FeedData<P> {
  const pages = data.pages.map((page) => ({ ...page, items: page.items.map((item) => (ids.has(item.id) && !item.read ? { ...item, read: true } : item)) }));
  return { ...data, pages };
}

export const itemsOf = <P>(data: FeedData<P> | undefined): FeedItem[] => data?.pages.flatMap((page) => page.items) ?? [];

/**
 * What the feed and a desktop notification say: the same words as a push.
 * A notification about a message that is gone since says "deleted".
 */
export function feedWords(item: FeedItem): { title: string; text: string | null } {
  const title = notificationTitle(item);
  if (item.messageId === null) return { title, text: null };
  return { title, text: item.excerpt === null ? 'deleted' : notificationBody(item) };
}

const ACTOR = '\u0000';

/**
 * The feed item's title in pieces, the actor going between them, so the page
 * can show their name isolated with their @username (anyone can pick any
 * display name). The words are notification-text's, as everywhere.
 */
export function titlePieces(item: FeedItem): string[] {
  return notificationTitle({ ...item, actor: item.actor ? { displayName: ACTOR } : null }).split(ACTOR);
}

/** A desktop notification: the account's "Show message text" setting off says only what kind of thing happened, as a push would. */
export function desktopWords(item: FeedItem, preview: boolean): { title: string; body: string } {
  if (!preview) return { title: 'Hearth', body: notificationPrivateText(item.kind) };
  const { title, text } = feedWords(item);
  return { title, body: text ?? '' };
}

/** Hearth's icon with the count in a badge at its top right, for the favicon. */
export function badgedIcon(svg: string, unread: number): string {
  const text = countText(unread);
  const width = text.length > 2 ? 44 : text.length > 1 ? 38 : 30;
  const badge =
    `<rect x="${64 - width}" y="0" width="${width}" height="30" rx="15" fill="#c92a2a" stroke="#fff" stroke-width="3"/>` +
    `<text x="${64 - width / 2}" y="23" text-anchor="middle" font-family="Arial,sans-serif" font-size="22" font-weight="700" fill="#fff">${text}</text>`;
  return svg.replace(/<\/svg>\s*$/, `${badge}</svg>`);
}

export const svgDataUrl = (svg: string): string => `data:image/svg+xml,${encodeURIComponent(svg)}`;

import type { PushItem } from './dispatch.ts';

/** What the service worker receives (public/sw.js). */
export interface PushPayload {
  notificationId: string;
  title: string;
  body: string;
  url: string;
}

/** Said instead of the title when the person chose no previews: nothing of who wrote what leaves the server. */
export const PRIVATE_TITLE = 'Hearth';

/** Push services take about 4 KB of payload; a long message is cut well short of it (in code points, never inside one). */
const MAX_TITLE = 120;
const MAX_BODY = 600;

export function pushPayload(item: PushItem, preview: boolean): string {
  const payload: PushPayload = {
    notificationId: item.notificationId,
    title: preview ? cut(item.title, MAX_TITLE) : PRIVATE_TITLE,
    body: preview ? cut(item.body, MAX_BODY) : item.privateBody,
    url: item.url,
  };
  return JSON.stringify(payload);
}

/**
 * RFC 8030 Topic (at most 32 base64url characters): a newer push with the same
 * topic replaces one the push service still holds, as an updated notification should.
 */
export function topicOf(notificationId: string): string | undefined {
  const topic = notificationId.replaceAll('-', '');
  return /^[A-Za-z0-9_]{1,32}$/.test(topic) ? topic : undefined;
}

function cut(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
// In the viewer's language and time zone (undefined: the browser's).
const fullDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

export const formatTime = (iso: string) => time.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
/** "Wednesday 2 December 2026 at 14:05": a message's time on hover. */
export const formatFullDateTime = (iso: string) => fullDateTime.format(new Date(iso));

/** "Ann", "Ann and Bo", "Ann, Bo and Cy", "Ann, Bo and 3 others": the items with the words between them. */
export function listParts<T>(items: readonly T[]): Array<T | string> {
  if (items.length <= 3) return items.flatMap((item, i) => (i === 0 ? [item] : [i === items.length - 1 ? ' and ' : ', ', item]));
  return [items[0]!, ', ', items[1]!, ` and ${items.length - 2} others`];
}

export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => [...part][0]!.toUpperCase())
    .join('') || '?';

/**
 * Day separators: which calendar day a message belongs to and how that day is
 * named, in the viewer's time zone and language (the browser's, unless a test
 * passes its own).
 */
export interface DayOptions {
  locale?: string;
  timeZone?: string;
}

const keyFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of `at` where the viewer is, as "YYYY-MM-DD". */
export function dayKey(at: Date | string, { timeZone }: DayOptions = {}): string {
  const zone = timeZone ?? '';
  let format = keyFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: timeZone || undefined, year: 'numeric', month: '2-digit', day: '2-digit' });
    keyFormats.set(zone, format);
  }
  return format.format(new Date(at));
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** "Today", "Yesterday", the weekday within the last week, else the date (with the year if not this one). */
export function dayLabel(at: Date | string, now: Date, options: DayOptions = {}): string {
  const day = dayKey(at, options);
  const today = dayKey(now, options);
  const ago = daysBetween(day, today);
  if (ago === 0) return 'Today';
  if (ago === 1) return 'Yesterday';
  const { locale, timeZone } = options;
  if (ago > 1 && ago < 7) return new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long' }).format(new Date(at));
  const sameYear = day.slice(0, 4) === today.slice(0, 4);
  return new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: sameYear ? undefined : 'numeric' }).format(
    new Date(at),
  );
}

/** Whether a separator goes before item `i`: the first item, or the first of a new day. */
export function startsDay(items: ReadonlyArray<{ createdAt: string }>, i: number, options: DayOptions = {}): boolean {
  const item = items[i];
  if (!item) return false;
  const previous = items[i - 1];
  return previous === undefined || dayKey(previous.createdAt, options) !== dayKey(item.createdAt, options);
}

/** Milliseconds from `now` to the viewer's next midnight (when "Today" becomes "Yesterday"). */
export function msToNextDay(now: Date, options: DayOptions = {}): number {
  const today = dayKey(now, options);
  // Days last 23 to 25 hours: the change is within 26 hours; find it to the millisecond.
  let [same, next] = [now.getTime(), now.getTime() + 26 * 3_600_000];
  while (next - same > 1) {
    const mid = Math.floor((same + next) / 2);
    if (dayKey(new Date(mid), options) === today) same = mid;
    else next = mid;
  }
  return next - now.getTime();
}

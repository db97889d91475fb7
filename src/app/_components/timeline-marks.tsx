'use client';
import { dayLabel } from '../../trpc/days.ts';

/** "Today", "Yesterday", "Monday", "Friday 14 November": where a new day of the timeline starts. */
export function DaySeparator({ at, now }: { at: string; now: Date }) {
  const label = dayLabel(at, now);
  return (
    <li className="day-separator" data-testid="day-separator">
      <span>{label}</span>
    </li>
  );
}

/** Above the first message that was unread when I opened the room. */
export function UnreadLine() {
  return (
    <li className="unread-line" data-testid="unread-line">
      <span>New messages</span>
    </li>
  );
}

/** Shown over the timeline when the "New messages" line or the newest message is out of view. */
export function JumpBar({ toUnread, toLatest }: { toUnread: (() => void) | null; toLatest: (() => void) | null }) {
  if (!toUnread && !toLatest) return null;
  return (
    <div className="jump-bar">
      {toUnread && (
        <button type="button" className="small" onClick={toUnread}>
          ↑ Jump to first unread
        </button>
      )}
      {toLatest && (
        <button type="button" className="small" onClick={toLatest}>
          ↓ Jump to latest
        </button>
      )}
    </div>
  );
}

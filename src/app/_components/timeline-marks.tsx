'use client';
import { useEffect, useState } from 'react';
import { dayLabel, msToNextDay } from '../../trpc/days.ts';

/** Now, renewed just after each midnight, so "Today" moves on while the page stays open. */
export function useToday(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setTimeout(() => setNow(new Date()), msToNextDay(now) + 1000);
    return () => clearTimeout(timer);
  }, [now]);
  return now;
}

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

/** The list's last item, stuck to the bottom of its view: shown when the "New messages" line or the newest message is out of view. */
export function JumpBar({ toUnread, toLatest }: { toUnread: (() => void) | null; toLatest: (() => void) | null }) {
  if (!toUnread && !toLatest) return null;
  return (
    <li className="jump-bar">
      <div>
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
    </li>
  );
}

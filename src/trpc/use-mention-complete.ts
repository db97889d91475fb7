'use client';
import { useMemo, useState } from 'react';
import { moveActive } from './switcher.ts';
import { insertMention, mentionQueryAt, mentionSuggestions, type Candidate, type Suggestion } from './mention-suggest.ts';

/**
 * The composer's `@` list as state: open while the caret is in an `@name`
 * that matches someone (and Escape has not closed it for that `@`), with one
 * highlighted row that the arrows move. `pick` gives the new text and caret.
 */
export function useMentionComplete({
  text,
  caret,
  focused,
  members,
  meId,
  offerRoom,
}: {
  text: string;
  caret: number;
  focused: boolean;
  members: readonly Candidate[];
  meId: string;
  offerRoom: boolean;
}) {
  const query = focused ? mentionQueryAt(text, caret) : null;
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const [activeFor, setActiveFor] = useState<string | null>(null);
  const typed = query?.query ?? null;
  const items: Suggestion[] = useMemo(
    () => (typed === null ? [] : mentionSuggestions({ members, query: typed, meId, offerRoom })),
    [members, typed, meId, offerRoom],
  );

  // A new query highlights its first row again; a new `@` may open the list again.
  const key = query ? `${query.start}:${query.query}` : null;
  if (key !== activeFor) {
    setActiveFor(key);
    setActive(0);
    if (dismissedAt !== null && query?.start !== dismissedAt) setDismissedAt(null);
  }
  const open = query !== null && items.length > 0 && dismissedAt !== query.start;
  const current = Math.min(active, items.length - 1);

  return {
    open,
    items,
    active: current,
    /**
     * Where the `@name` the caret is in starts: the draft's note leaves it out
     * until it is finished, so its live region does not speak every keystroke.
     */
    typingAt: query?.start ?? null,
    move: (by: 1 | -1) => setActive(moveActive(current, by, items.length)),
    /** Closes the list for this `@`, leaving the draft as it is. */
    dismiss: () => setDismissedAt(query?.start ?? null),
    pick: (item: Suggestion | undefined = items[current]): { text: string; caret: number } | null =>
      query && item ? insertMention(text, query, item.username) : null,
  };
}

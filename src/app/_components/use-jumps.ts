'use client';
import { useRef, useState, type RefObject } from 'react';

const NEAR = 80;
const LINE = '[data-testid="unread-line"]';

interface Options {
  ref: RefObject<HTMLOListElement | null>;
  /** Whether there is a "New messages" line, shown or in older pages still to load. */
  hasUnread: boolean;
  unreadLoading: boolean;
  loadingOlder: boolean;
  loadOlder(): Promise<void>;
}

/**
 * The message list's "Jump to first unread" and "Jump to latest": which to
 * offer (the line or the newest message out of view), and the jumps. A jump
 * to a line not loaded yet loads older pages until it is, then goes there.
 * `afterRender` runs after every render, `onScroll` on every scroll.
 */
export function useJumps({ ref, hasUnread, unreadLoading, loadingOlder, loadOlder }: Options) {
  const atBottom = useRef(true);
  const seeking = useRef(false);
  const [view, setView] = useState({ scrolledUp: false, lineOut: false });

  function readView(list: HTMLOListElement) {
    atBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < NEAR;
    const line = list.querySelector<HTMLElement>(LINE);
    const lineOut = hasUnread && (!line || line.offsetTop < list.scrollTop || line.offsetTop > list.scrollTop + list.clientHeight);
    const scrolledUp = !atBottom.current;
    if (lineOut !== view.lineOut || scrolledUp !== view.scrolledUp) setView({ scrolledUp, lineOut });
  }

  function seek(list: HTMLOListElement) {
    const line = list.querySelector(LINE);
    if (line) {
      seeking.current = false;
      line.scrollIntoView({ block: 'start' });
      list.focus();
    } else if (!unreadLoading) seeking.current = false;
    else if (!loadingOlder) void loadOlder();
  }

  const toUnread = () => {
    seeking.current = true;
    if (ref.current) seek(ref.current);
  };
  const toLatest = () => {
    const list = ref.current;
    if (!list) return;
    list.scrollTop = list.scrollHeight;
    list.focus();
  };

  return {
    atBottom,
    afterRender(list: HTMLOListElement) {
      if (seeking.current) seek(list);
      readView(list);
    },
    onScroll: readView,
    toUnread: hasUnread && view.lineOut ? toUnread : null,
    toLatest: view.scrolledUp ? toLatest : null,
  };
}

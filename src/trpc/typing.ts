export interface TypingNotifierOptions {
  /** Sends typing.set; failures are the caller's to ignore (typing is best effort). */
  send(typing: boolean): unknown;
  /** While typing continues, refresh no more often than this (the server forgets after 5 s). */
  refreshMs?: number;
  /** Say "stopped" after this long without a keystroke. */
  idleMs?: number;
}

/**
 * Turns keystrokes into typing.set calls: one `true` when typing starts, a
 * refresh at most every `refreshMs` while it goes on, and one `false` when the
 * user goes idle, sends, or clears the input (call `stop()`).
 */
export function createTypingNotifier({ send, refreshMs = 3000, idleMs = 4000 }: TypingNotifierOptions) {
  let lastSentAt: number | null = null;
  let idle: ReturnType<typeof setTimeout> | undefined;

  const stop = () => {
    clearTimeout(idle);
    if (lastSentAt === null) return;
    lastSentAt = null;
    send(false);
  };

  return {
    keystroke() {
      const now = Date.now();
      if (lastSentAt === null || now - lastSentAt >= refreshMs) {
        lastSentAt = now;
        send(true);
      }
      clearTimeout(idle);
      idle = setTimeout(stop, idleMs);
    },
    stop,
    dispose() {
      clearTimeout(idle);
    },
  };
}

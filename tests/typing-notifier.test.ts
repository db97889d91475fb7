import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTypingNotifier } from '../src/trpc/typing.ts';

describe("Hearth's client typing notifier", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends one start, refreshes at most every 3 s while typing, and stops when idle', () => {
    const sent: Array<[number, boolean]> = [];
    const start = Date.now();
    const notifier = createTypingNotifier({ send: (typing) => sent.push([Date.now() - start, typing]) });
    // A keystroke every 200 ms for 10 s.
    for (let t = 0; t < 10_000; t += 200) {
      notifier.keystroke();
      vi.advanceTimersByTime(200);
    }
    expect(sent).toEqual([
      [0, true],
      [3000, true],
      [6000, true],
      [9000, true],
    ]);
    vi.advanceTimersByTime(4000);
    expect(sent.at(-1)).toEqual([13_800, false]);
    expect(sent).toHaveLength(5);
  });

  it('stop() says so at once, once', () => {
    const sent: boolean[] = [];
    const notifier = createTypingNotifier({ send: (typing) => sent.push(typing) });
    notifier.keystroke();
    notifier.stop();
    notifier.stop();
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual([true, false]);
  });
});

/**
 * Messages written but not yet acknowledged by the server, in the order they
 * were written. They are sent one at a time, oldest first, so they land in the
 * room in that order. A send that gets no answer (offline, server restarting)
 * is retried as is: `messages.send` is idempotent on `clientMessageId`, so a
 * retry of a send that did reach the server returns the same message and never
 * adds a second one. A send the server refuses (too long, not a member) is
 * marked failed with the server's reason until the user retries or discards it.
 */
export type OutboxStatus = 'queued' | 'sending' | 'failed';

export interface OutboxItem {
  clientMessageId: string;
  roomId: string;
  body: string;
  status: OutboxStatus;
  /** Why the last attempt failed (a sentence for people), if it did. */
  error: string | null;
}

export interface OutboxOptions<M> {
  send(item: { roomId: string; body: string; clientMessageId: string }): Promise<M>;
  /** True for failures that may heal by themselves (no answer from the server). */
  isTransient(error: unknown): boolean;
  /** The server said "not now" (rate limit): retry this long later, keeping the order. */
  retryAfterMs?(error: unknown): number | undefined;
  describe(error: unknown): string;
  /** The server acknowledged the item with `message`. */
  onSent?(item: OutboxItem, message: M): void;
  /** Delay before retrying after a transient failure while online. */
  retryDelayMs?(attempt: number): number;
  newId?(): string;
  /** Where items survive a page reload (e.g. localStorage for this user). */
  storage?: { load(): OutboxItem[]; save(items: readonly OutboxItem[]): void };
}

const defaultRetryDelay = (attempt: number) => Math.min(1000 * 2 ** attempt, 15_000);

export class Outbox<M = unknown> {
  private items: readonly OutboxItem[];
  private readonly listeners = new Set<() => void>();
  private running = false;
  private paused = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly options: OutboxOptions<M>) {
    // Whatever was in flight when the page went away did not get its answer.
    this.items = (options.storage?.load() ?? []).map((item) => (item.status === 'sending' ? { ...item, status: 'queued' } : item));
  }

  /** The current items (a new array after every change, for React's useSyncExternalStore). */
  snapshot = (): readonly OutboxItem[] => this.items;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  enqueue(roomId: string, body: string): OutboxItem {
    const item: OutboxItem = { clientMessageId: this.options.newId?.() ?? crypto.randomUUID(), roomId, body, status: 'queued', error: null };
    this.set([...this.items, item]);
    void this.flush();
    return item;
  }

  retry(clientMessageId: string): void {
    this.update(clientMessageId, { status: 'queued', error: null });
    this.attempt = 0;
    void this.flush();
  }

  discard(clientMessageId: string): void {
    const item = this.items.find((i) => i.clientMessageId === clientMessageId);
    if (item && item.status !== 'sending') this.set(this.items.filter((i) => i !== item));
  }

  /** Offline: stop trying until `resume()`. Queued items stay queued. */
  pause(): void {
    this.paused = true;
    clearTimeout(this.timer);
  }

  /** Online again (or the server is back): send what is queued, now. */
  resume(): void {
    this.paused = false;
    this.attempt = 0;
    clearTimeout(this.timer);
    void this.flush();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.listeners.clear();
  }

  /** Sends queued items one by one, oldest first; stops at the first that gets no answer. */
  async flush(): Promise<void> {
    if (this.running || this.paused || this.disposed) return;
    this.running = true;
    try {
      for (;;) {
        const item = this.items.find((i) => i.status === 'queued');
        if (!item || this.paused || this.disposed) return;
        this.update(item.clientMessageId, { status: 'sending', error: null });
        try {
          const message = await this.options.send({ roomId: item.roomId, body: item.body, clientMessageId: item.clientMessageId });
          this.attempt = 0;
          // The timeline gets the message before the pending copy goes, so it never blinks out.
          this.options.onSent?.(item, message);
          this.set(this.items.filter((i) => i.clientMessageId !== item.clientMessageId));
        } catch (error) {
          if (this.disposed) return;
          const later = this.options.retryAfterMs?.(error);
          if (later !== undefined) {
            this.update(item.clientMessageId, { status: 'queued', error: this.options.describe(error) });
            if (!this.paused) this.timer = setTimeout(() => void this.flush(), later);
            return;
          }
          if (!this.options.isTransient(error)) {
            this.update(item.clientMessageId, { status: 'failed', error: this.options.describe(error) });
            continue;
          }
          // Keep its place at the head of the line so later items cannot overtake it.
          this.update(item.clientMessageId, { status: 'queued', error: this.options.describe(error) });
          if (!this.paused) {
            const delay = (this.options.retryDelayMs ?? defaultRetryDelay)(this.attempt++);
            this.timer = setTimeout(() => void this.flush(), delay);
          }
          return;
        }
      }
    } finally {
      this.running = false;
    }
  }

  private update(clientMessageId: string, patch: Partial<OutboxItem>): void {
    this.set(this.items.map((i) => (i.clientMessageId === clientMessageId ? { ...i, ...patch } : i)));
  }

  private set(items: readonly OutboxItem[]): void {
    this.items = items;
    this.options.storage?.save(items);
    for (const listener of this.listeners) listener();
  }
}

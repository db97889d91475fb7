/**
 * Web Push to the devices of people with no open connection. `deliver` never
 * waits on a push service and never throws: items are queued, sent with
 * retries and backoff, bounded (push/, issue 15).
 */
export interface PushItem {
  userId: string;
  /** The notification's id: the service worker's tag, so a retry replaces rather than repeats. */
  notificationId: string;
  /** Where a click takes the person (`/?room=<id>` or `/`). */
  url: string;
  title: string;
  /** The message text; left out when the person chose no previews. */
  body: string;
  /** Said instead of title and body to someone who chose no previews ("New message"). */
  privateBody: string;
}

export interface PushDispatcher {
  /** The VAPID public key browsers subscribe with (push.publicKey); empty: push is off. */
  readonly publicKey: string;
  deliver(item: PushItem): void;
  /** Resolves when nothing is queued or in flight (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Nothing is sent (tests of other parts may use it). */
export class NoPush implements PushDispatcher {
  readonly publicKey = '';
  deliver(): void {}
  async idle(): Promise<void> {}
  async close(): Promise<void> {}
}

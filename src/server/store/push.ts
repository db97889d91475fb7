/** A device's Web Push subscription as the dispatcher needs it. */
export interface PushTarget {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  /** As kept: the dispatcher writes them only when they change enough to matter. */
  failures: number;
  lastSuccessAt: Date | null;
}

export interface NewPushSubscription {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  userAgent: string | null;
  /** The session that subscribed it: the device is pushed only while that session lives. */
  sessionId: string;
}

/** Web Push subscriptions, the push preview setting and the server's kept settings (push/). */
export interface PushStore {
  /**
   * The kept value of `key`, writing `value` first if there is none. Two
   * instances starting at once both get the one value that was written first.
   */
  keepSetting(key: string, value: string): Promise<string>;
  /**
   * Adds the subscription, or takes over the one with its endpoint (the same
   * browser, perhaps signed in to another account now); past `cap` the user's
   * oldest subscriptions are deleted, in the same transaction.
   */
  subscribe(subscription: NewPushSubscription, cap: number): Promise<void>;
  /** false: the user had no subscription with that endpoint. */
  unsubscribe(userId: string, endpoint: string): Promise<boolean>;
  /**
   * The user's devices whose session is live at `now`, whether their pushes may
   * show message text, and the ids of subscriptions whose session has ended
   * (`stale`: to delete); null: no such user.
   */
  targetsOf(userId: string, now: Date): Promise<{ preview: boolean; targets: PushTarget[]; stale: string[] } | null>;
  /** What the account page shows; `thisDevice`: whether `endpoint` is one of the user's subscriptions, made with `sessionId`. */
  settingsOf(
    userId: string,
    device?: { endpoint: string; sessionId: string },
  ): Promise<{ preview: boolean; subscriptions: number; thisDevice: boolean } | null>;
  setPreview(userId: string, preview: boolean): Promise<boolean>;
  /** The push service said the subscription is gone (404/410). */
  remove(subscriptionId: string): Promise<void>;
  delivered(subscriptionId: string, at: Date): Promise<void>;
  /** Counts a delivery given up after its retries. */
  failed(subscriptionId: string): Promise<void>;
}

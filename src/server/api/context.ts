import type { ActiveSession } from '../auth/sessions.ts';
import type { Services } from '../services.ts';
import type { SubscriptionSlots } from './subscription-slots.ts';

/** What every procedure sees, whichever transport carried the call. */
export interface Context {
  services: Services;
  session: ActiveSession | null;
  transport: 'http' | 'ws';
  /** The browser session cookie; a no-op over WebSocket, where no response headers exist. */
  cookie: {
    set(token: string, expiresAt: Date): void;
    clear(): void;
  };
  /** An HTTP request from a browser page on an origin we do not trust (CSRF). */
  crossSite: boolean;
  /** The client's address (http/client-ip.ts), for per-address limits. */
  clientIp?: string;
  /** Over WebSocket: the connection's allowance of live subscriptions. */
  subscriptions?: SubscriptionSlots;
}

export const noCookie: Context['cookie'] = { set() {}, clear() {} };

import { TRPCError } from '@trpc/server';
import type { ActiveSession } from '../auth/sessions.ts';
import type { Services } from '../app/services.ts';
import type { SubscriptionSlots } from '../realtime/subscription-slots.ts';

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
  /** Over HTTP: the User-Agent, to name the device of a session it starts. */
  userAgent?: string;
  /** Over HTTP: bytes the request's answers may still take (MAX_RESPONSE_BYTES, response-budget.ts). */
  responseBudget?: { left: number };
  /** Over WebSocket: the connection's allowance of live subscriptions. */
  subscriptions?: SubscriptionSlots;
  /**
   * What ties a failed call to the server's log lines: over HTTP the request's
   * id (its X-Request-Id), over WebSocket the connection's (`connId`).
   */
  requestId?: string;
}

export const noCookie: Context['cookie'] = { set() {}, clear() {} };

/**
 * A context that could not be made (its session lookup failed): a fault of
 * ours, with no ctx for the error formatter to find the request id on, so
 * the error carries it. Refusals the context makes on purpose (TRPCError) pass.
 */
export class ContextFailure extends TRPCError {
  constructor(
    readonly requestId: string | undefined,
    cause: unknown,
  ) {
    super({ code: 'INTERNAL_SERVER_ERROR', message: 'The request context could not be made', cause });
  }

  static from(requestId: string | undefined, error: unknown): TRPCError {
    return error instanceof TRPCError ? error : new ContextFailure(requestId, error);
  }
}

/** The request id of a failed call, from its context or, when it never got one, from the error. */
export function requestIdOf(error: unknown, ctx: Context | undefined): string | undefined {
  return ctx?.requestId ?? (error instanceof ContextFailure ? error.requestId : undefined);
}

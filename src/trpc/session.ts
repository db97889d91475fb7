import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../server/api/root.ts';
import { describeError, isUnauthorized } from './errors.ts';
import { TRPC_PATH } from '../shared/wire.ts';

export type Me = inferRouterOutputs<AppRouter>['auth']['me'];
export type Registration = inferRouterOutputs<AppRouter>['auth']['registration'];

export type SessionState = { status: 'loading'; problem: string | null } | { status: 'signed-out'; notice: string | null } | { status: 'signed-in'; user: Me };

/**
 * Who is signed in, for the whole page. Logging in sets the HttpOnly cookie,
 * which the page cannot read: `auth.me` is how it learns who it is. The calls
 * here run before there is a session, so they use a plain HTTP client; the
 * session's own client (with its socket) is made once someone is signed in.
 */
export class SessionStore {
  private state: SessionState = { status: 'loading', problem: null };
  private readonly listeners = new Set<() => void>();
  private readonly api = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: TRPC_PATH })] });

  snapshot = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Asks the server who we are; retries until it answers (the page may have loaded offline). */
  async load(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        this.set({ status: 'signed-in', user: await this.api.auth.me.query() });
        return;
      } catch (error) {
        if (isUnauthorized(error)) return this.set({ status: 'signed-out', notice: null });
        if (attempt === 0) this.set({ status: 'loading', problem: `${describeError(error)} Retrying…` });
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 10_000)));
      }
    }
  }

  /** Throws the API's error (shown by the form). */
  async login(input: { username: string; password: string }): Promise<void> {
    const { user } = await this.api.auth.login.mutate(input);
    this.set({ status: 'signed-in', user });
  }

  /** With `setupToken` (the setup link) or `inviteToken` (an invitation link) as the page was opened with. */
  async register(input: { username: string; password: string; displayName?: string; setupToken?: string; inviteToken?: string }): Promise<void> {
    const { user } = await this.api.auth.register.mutate(input);
    this.set({ status: 'signed-in', user });
  }

  /** Who may register here, and whether the link the page was opened with can be used. */
  registration(link: { kind: 'setup' | 'invite' | 'reset'; token: string } | null): Promise<Registration> {
    return this.api.auth.registration.query(link ? { link } : undefined);
  }

  /** A password-reset (or set-password) link: sets the password and signs in. */
  async usePasswordLink(input: { token: string; password: string }): Promise<void> {
    const { user } = await this.api.auth.usePasswordLink.mutate(input);
    this.set({ status: 'signed-in', user });
  }

  /** My account changed elsewhere (an admin changed my role, I renamed myself in another tab): ask who I am now. */
  async refreshUser(): Promise<void> {
    try {
      this.updateUser(await this.api.auth.me.query());
    } catch (error) {
      if (isUnauthorized(error)) this.ended();
    }
  }

  /** My profile changed (display name): the page shows it. */
  updateUser(user: Me): void {
    if (this.state.status === 'signed-in') this.set({ status: 'signed-in', user });
  }

  /** Signs out here first, so the socket closing (4401) is not taken for a revoked session. */
  async logout(): Promise<void> {
    this.set({ status: 'signed-out', notice: null });
    await this.api.auth.logout.mutate().catch(() => undefined);
  }

  /** The server ended the session (logout elsewhere, expiry, deactivation). */
  ended(): void {
    if (this.state.status !== 'signed-in') return;
    this.set({ status: 'signed-out', notice: 'Your session has ended. Please log in again.' });
  }

  private set(state: SessionState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}

import type { Config } from '../app/config.ts';
import { AppError } from '../lib/app-error.ts';
import { newId } from '../lib/ids.ts';
import type { Store } from '../store/store.ts';

type Deps = { store: Pick<Store, 'push'>; config: Pick<Config, 'PUSH_SERVICE_HOSTS' | 'PUSH_SUBSCRIPTIONS_PER_USER'> };

/**
 * A device's subscription, checked and kept, tied to the session that made it:
 * once that session ends (logout, revoked, expired, the account deactivated)
 * the browser is no longer signed in here, and it is pushed nothing more. Past PUSH_SUBSCRIPTIONS_PER_USER
 * the person's oldest device is dropped rather than the new one refused: the
 * device someone enables now is the one they hold, and a forgotten old browser
 * should not stand in its way. An endpoint already kept (this browser, signed
 * in to another account before) moves to this account: a browser has one
 * subscription per site, so only its latest account can be the one pushed.
 */
export async function subscribePush(
  deps: Deps,
  input: { userId: string; sessionId: string; endpoint: string; keys: { p256dh: string; auth: string }; userAgent?: string },
): Promise<{ ok: true }> {
  if (!allowedHost(deps.config.PUSH_SERVICE_HOSTS, new URL(input.endpoint).hostname)) {
    throw new AppError('BAD_REQUEST', 'This browser’s push service is not one this server sends to (PUSH_SERVICE_HOSTS)');
  }
  await deps.store.push.subscribe(
    {
      id: newId(),
      userId: input.userId,
      sessionId: input.sessionId,
      endpoint: input.endpoint,
      ...input.keys,
      userAgent: input.userAgent?.slice(0, 256) ?? null,
    },
    deps.config.PUSH_SUBSCRIPTIONS_PER_USER,
  );
  return { ok: true };
}

/** Idempotent: `removed` false when this account had no such subscription (nothing changed). */
export async function unsubscribePush(deps: Deps, input: { userId: string; endpoint: string }): Promise<{ removed: boolean }> {
  return { removed: await deps.store.push.unsubscribe(input.userId, input.endpoint) };
}

export async function setPushPreview(deps: Deps, input: { userId: string; preview: boolean }): Promise<{ preview: boolean }> {
  if (!(await deps.store.push.setPreview(input.userId, input.preview))) throw new AppError('NOT_FOUND', 'No such user');
  return { preview: input.preview };
}

export async function pushSettings(deps: Deps & { push: { publicKey: string } }, input: { userId: string; sessionId: string; endpoint?: string }) {
  const device = input.endpoint === undefined ? undefined : { endpoint: input.endpoint, sessionId: input.sessionId };
  const settings = await deps.store.push.settingsOf(input.userId, device);
  if (!settings) throw new AppError('NOT_FOUND', 'No such user');
  return { publicKey: deps.push.publicKey, ...settings };
}

/**
 * Only push services the operator allows are sent to: otherwise anyone with an
 * account could make the server POST to any address it reaches (SSRF).
 */
function allowedHost(allowed: string[], host: string): boolean {
  const name = host.toLowerCase();
  return allowed.some((entry) => entry === '*' || entry === name || (entry.startsWith('.') && (name.endsWith(entry) || name === entry.slice(1))));
}

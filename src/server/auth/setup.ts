import crypto from 'node:crypto';
import type { Config } from '../app/config.ts';
import { hashToken, newSessionToken } from './tokens.ts';

/**
 * The secret that claims a server with no admin: SETUP_TOKEN, or a random one
 * made at start and held only in this process's memory (each start prints a
 * new link). Compared by hash in constant time. It is spent once an admin
 * exists: the claim and the admin check are one transaction (accounts.ts).
 */
export class SetupSecret {
  private readonly hash: Buffer;

  constructor(readonly token: string = newSessionToken()) {
    this.hash = Buffer.from(hashToken(token), 'hex');
  }

  matches(token: string): boolean {
    return crypto.timingSafeEqual(this.hash, Buffer.from(hashToken(token), 'hex'));
  }
}

/** Where people reach Hearth: PUBLIC_URL, else the address it listens on (0.0.0.0 and :: read as localhost). */
export function publicBase(config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>, port: number = config.PORT): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL;
  const host = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.HOST) ? 'localhost' : config.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The web app's links that carry a token: in the fragment, so it never reaches a server log or a Referer. */
export const linkUrl = (base: string, kind: 'setup' | 'invite' | 'reset', token: string) => `${base}/#${kind}=${token}`;

import crypto from 'node:crypto';
import webpush from 'web-push';
import { ConfigError, type Config } from '../app/config.ts';
import type { PushStore } from '../store/push.ts';

export interface VapidKeys {
  /** The application server key browsers subscribe with (base64url, 65 bytes). */
  publicKey: string;
  privateKey: string;
  subject: string;
}

const SETTING = 'vapid';

/**
 * The server's VAPID identity. A browser's subscription is bound to the public
 * key it subscribed with, so the pair must outlive restarts and be the same on
 * every instance: it is generated once and kept in the database (ServerSetting),
 * unless the environment names one.
 */
export async function loadVapidKeys(deps: { store: { push: PushStore }; config: Config }): Promise<VapidKeys> {
  const subject = deps.config.VAPID_SUBJECT ?? defaultSubject(deps.config.PUBLIC_URL);
  const { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey } = deps.config;
  // One key without the other cannot sign, and a generated pair would not match the one given.
  if (!publicKey !== !privateKey) throw new ConfigError('Invalid configuration:\n  VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY: set both or neither');
  if (publicKey && privateKey) {
    if (publicKeyOf(privateKey) !== publicKey) throw new ConfigError('Invalid configuration:\n  VAPID_PUBLIC_KEY: is not the public key of VAPID_PRIVATE_KEY');
    return { publicKey, privateKey, subject };
  }
  const kept = JSON.parse(await deps.store.push.keepSetting(SETTING, JSON.stringify(webpush.generateVAPIDKeys()))) as Omit<VapidKeys, 'subject'>;
  return { publicKey: kept.publicKey, privateKey: kept.privateKey, subject };
}

function publicKeyOf(privateKey: string): string {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
  return ecdh.getPublicKey().toString('base64url');
}

/** Apple's push service refuses a localhost subject; an https PUBLIC_URL is the server's own page. */
function defaultSubject(publicUrl: string | undefined): string {
  return publicUrl?.startsWith('https://') ? publicUrl : 'mailto:hearth@localhost';
}

import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.ts';

/**
 * The client's address, the key of every per-address limit. Behind a reverse
 * proxy every peer is the proxy, so the address is the last X-Forwarded-For
 * entry: the one the nearest proxy appended, which the client cannot forge
 * (entries before it are whatever the client sent). Whose header is believed
 * is TRUST_PROXY's call: a proxy on this machine (`loopback`, the default),
 * any peer (`true`), or none (`false`). IPv4 seen through an IPv6 socket
 * (::ffff:1.2.3.4) is written as IPv4: one key per client.
 */
export function clientAddress(req: IncomingMessage, trustProxy: Config['TRUST_PROXY']): string {
  const peer = normalize(req.socket.remoteAddress ?? 'unknown');
  const trusted = trustProxy === 'true' || (trustProxy === 'loopback' && isLoopback(peer));
  if (trusted) {
    const forwarded = headerValue(req.headers['x-forwarded-for']);
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last) return normalize(last);
  }
  return peer;
}

/** Loopback peers, not relayed by a proxy on the same machine (which would make anyone "local"). */
export function isLocalRequest(req: IncomingMessage): boolean {
  if (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined) return false;
  return isLoopback(normalize(req.socket.remoteAddress ?? ''));
}

export function isLoopback(address: string): boolean {
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

function normalize(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : value);

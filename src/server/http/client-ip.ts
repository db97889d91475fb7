import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Whether the hop at `index` (0: the socket's peer, 1: the last X-Forwarded-For entry, ...) is a proxy we believe. */
export type Trust = (address: string, index: number) => boolean;

/**
 * TRUST_PROXY, compiled. `loopback` (the default: a reverse proxy on this
 * machine), a comma-separated list of addresses, CIDR ranges and proxy-addr's
 * names (`loopback`, `linklocal`, `uniquelocal`), or a hop count: `2` believes
 * the two nearest proxies, whoever they are. `true` is one hop (any peer's
 * last entry, never a client-written one further left); `false` believes nobody.
 * Throws on anything else, naming what is wrong, for config.ts to report.
 */
export function compileTrust(setting: string): Trust {
  const value = setting.trim();
  if (value === 'false') return () => false;
  if (value === 'true') return hops(1);
  if (/^\d+$/.test(value)) return hops(Number(value));
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.some((entry) => entry === '')) throw new Error('has an empty entry');
  return proxyaddr.compile(entries); // throws e.g. "invalid IP address: proxy.internal"
}

const hops =
  (count: number): Trust =>
  (_address, index) =>
    index < count;

// One compiled function per setting: config holds the setting as written, and
// a request must not pay for parsing it.
const compiled = new Map<string, Trust>();

export function trustFor(setting: string): Trust {
  let trust = compiled.get(setting);
  if (!trust) compiled.set(setting, (trust = compileTrust(setting)));
  return trust;
}

/**
 * The client's address, the key of every per-address limit: the socket's peer,
 * or, while the hop nearest us is a proxy TRUST_PROXY believes, the entry that
 * proxy appended to X-Forwarded-For, and so on leftwards. The walk stops at the
 * first address not believed: entries left of it are whatever the client sent.
 * IPv4 seen through an IPv6 socket (::ffff:1.2.3.4) is written as IPv4: one key per client.
 */
export function clientAddress(req: IncomingMessage, trustProxy: string): string {
  if (req.socket.remoteAddress === undefined) return 'unknown'; // the socket is already gone
  return normalize(proxyaddr(req, trustFor(trustProxy)));
}

/** Whether the socket's peer is a proxy TRUST_PROXY believes (its X-Forwarded-For would be taken). */
export function isTrustedProxy(req: IncomingMessage, trustProxy: string): boolean {
  const peer = req.socket.remoteAddress;
  return peer !== undefined && trustFor(trustProxy)(peer, 0);
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

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { CloseCode } from '../../shared/wire.ts';
import { SubscriptionSlots } from '../realtime/subscription-slots.ts';
import { sessionForToken, type ActiveSession } from '../auth/sessions.ts';
import { newId } from '../lib/ids.ts';
import type { RefusalReason } from '../ops/metrics.ts';
import type { Services } from '../app/services.ts';
import { clientAddress } from '../http/client-ip.ts';

export interface Refusal {
  status: 429 | 503;
  reason: RefusalReason;
  message: string;
  retryAfterSeconds?: number;
}

/** One admitted connection, from its upgrade until its TCP socket closes. */
export interface Peer {
  /** Also the connection's id in logs (`connId`) and in presence. */
  id: string;
  ip: string;
  subscriptions: SubscriptionSlots;
  session?: ActiveSession;
  /** Until a session binds: the WS_AUTH_TIMEOUT_MS deadline. */
  deadline?: NodeJS.Timeout;
  /** A token sent with the upgrade (cookie, header) and its lookup, until the context takes it. */
  upgrade?: { token: string; session: ActiveSession | null };
}

type Deps = Pick<Services, 'config' | 'limits' | 'metrics' | 'log' | 'store' | 'clock'>;

/**
 * Who may hold a WebSocket: at most MAX_CONNECTIONS in all, MAX_CONNECTIONS_PER_IP
 * open and WS_CONNECTS_PER_MINUTE_PER_IP new ones per client address, and
 * MAX_CONNECTIONS_PER_USER per user. Places are counted from the upgrade (so a
 * burst of handshakes cannot overshoot) and given back when the TCP socket
 * closes, however the connection ended, even if the handshake never finished.
 * A socket with no session WS_AUTH_TIMEOUT_MS after opening is closed (4401).
 */
export class Admission {
  private total = 0;
  private readonly perIp = new Map<string, number>();
  private readonly perUser = new Map<string, number>();
  private readonly peers = new WeakMap<Duplex | WebSocket, Peer>();
  /** Authenticated sockets, for the session recheck. */
  readonly authenticated = new Map<WebSocket, Peer>();

  constructor(private readonly deps: Deps) {}

  /** The cheap checks, before the handshake. Reserves the place, or says why not. */
  admit(req: IncomingMessage, socket: Duplex): Peer | Refusal {
    const { config, limits } = this.deps;
    const ip = clientAddress(req, config.TRUST_PROXY);
    if (this.total >= config.MAX_CONNECTIONS) {
      return { status: 503, reason: 'total_cap', message: 'The server is at its connection limit; try again later', retryAfterSeconds: 10 };
    }
    if ((this.perIp.get(ip) ?? 0) >= config.MAX_CONNECTIONS_PER_IP) {
      return { status: 429, reason: 'ip_cap', message: 'Too many open connections from this address' };
    }
    const verdict = limits.wsConnects.take(ip);
    if (!verdict.ok) {
      return {
        status: 429,
        reason: 'ip_rate',
        message: 'Too many new connections from this address',
        retryAfterSeconds: Math.ceil(verdict.retryAfterMs / 1000),
      };
    }
    const id = newId();
    const peer: Peer = { id, ip, subscriptions: new SubscriptionSlots(config.MAX_SUBSCRIPTIONS_PER_CONNECTION) };
    this.total += 1;
    this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
    this.peers.set(socket, peer);
    socket.once('close', this.release.bind(this, peer));
    return peer;
  }

  /**
   * A token sent with the upgrade itself (cookie, Authorization header) is
   * checked before the handshake, so a user at their cap gets 429 and no
   * socket. Tokens sent later (connectionParams) are checked in `bind`.
   */
  async preauthenticate(peer: Peer, token: string): Promise<Refusal | null> {
    const session = await sessionForToken(this.deps, { token });
    peer.upgrade = { token, session };
    if (session && (this.perUser.get(session.userId) ?? 0) >= this.deps.config.MAX_CONNECTIONS_PER_USER) {
      return { status: 429, reason: 'user_cap', message: 'Too many connections for this user' };
    }
    return null;
  }

  /** The handshake is done: the peer follows its WebSocket, and must authenticate in time. */
  connected(ws: WebSocket, socket: Duplex): Peer | undefined {
    const peer = this.peers.get(socket);
    if (!peer) return undefined;
    this.peers.set(ws, peer);
    peer.deadline = setTimeout(() => {
      if (peer.session || ws.readyState !== ws.OPEN) return;
      this.deps.metrics.authFailures.inc({ reason: 'timeout' });
      this.deps.log.debug({ connId: peer.id, ip: peer.ip }, 'websocket closed: no session in time');
      ws.close(CloseCode.unauthorized, 'Authentication required');
    }, this.deps.config.WS_AUTH_TIMEOUT_MS);
    return peer;
  }

  /** The WebSocket closed (its TCP socket gives the place back when it closes in turn). */
  disconnected(ws: WebSocket, peer: Peer | undefined): void {
    if (peer) clearTimeout(peer.deadline);
    this.authenticated.delete(ws);
  }

  peerOf(ws: WebSocket): Peer | undefined {
    return this.peers.get(ws);
  }

  /** The session for a token, reusing the lookup made at upgrade when it was the same token. */
  async sessionFor(peer: Peer | undefined, token: string): Promise<ActiveSession | null> {
    const cached = peer?.upgrade;
    if (peer) peer.upgrade = undefined;
    if (cached?.token === token) return cached.session;
    return sessionForToken(this.deps, { token });
  }

  /** Gives the socket to its user, unless they already hold MAX_CONNECTIONS_PER_USER. */
  bind(ws: WebSocket, session: ActiveSession): boolean {
    const peer = this.peers.get(ws);
    if (!peer || peer.session) return true;
    const held = this.perUser.get(session.userId) ?? 0;
    if (held >= this.deps.config.MAX_CONNECTIONS_PER_USER) return false;
    this.perUser.set(session.userId, held + 1);
    peer.session = session;
    clearTimeout(peer.deadline);
    peer.deadline = undefined;
    this.authenticated.set(ws, peer);
    return true;
  }

  /** For tests and the soak: every count returns to zero when every socket is gone. */
  get counts() {
    return { total: this.total, addresses: this.perIp.size, users: this.perUser.size, authenticated: this.authenticated.size };
  }

  private release(peer: Peer): void {
    this.total -= 1;
    decrement(this.perIp, peer.ip);
    if (peer.session) decrement(this.perUser, peer.session.userId);
  }
}

function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { CloseCode, REPLACED_REASON } from '../../shared/wire.ts';
import { SubscriptionSlots } from '../realtime/subscription-slots.ts';
import { sessionForToken, type ActiveSession } from '../auth/sessions.ts';
import { newId } from '../lib/ids.ts';
import type { RefusalReason } from '../ops/metrics.ts';
import type { Services } from '../app/services.ts';
import { clientAddress } from '../http/client-ip.ts';

export interface Refusal {
  /** For an upgrade that is not a handshake a close frame can answer (the rest get 4429 and this in the reason). */
  status: 429 | 503;
  reason: RefusalReason;
  message: string;
  retryAfterSeconds: number;
}

/** How long a client refused for an open-connection cap waits: there is no bucket to say when a place frees. */
const CAP_RETRY_SECONDS = 10;

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
  /** Its address's token is still spent on it: no user has paid for it yet (see `chargeUser`). */
  onAddress: boolean;
  /** Closed (4409) to make room for a newer connection of its user: no longer one of their places. */
  replaced?: boolean;
}

type Deps = Pick<Services, 'config' | 'limits' | 'metrics' | 'log' | 'store' | 'clock'>;

/**
 * Who may hold a WebSocket: at most MAX_CONNECTIONS in all, MAX_CONNECTIONS_PER_IP
 * open and WS_CONNECTS_PER_MINUTE_PER_IP new ones per client address, and
 * MAX_CONNECTIONS_PER_USER per user. Places are counted from the upgrade (so a
 * burst of handshakes cannot overshoot) and given back when the TCP socket
 * closes, however the connection ended, even if the handshake never finished.
 * A socket with no session WS_AUTH_TIMEOUT_MS after opening is closed (4401).
 *
 * Every new connection first pays its address (before any session lookup,
 * so a flood without a session is refused cheaply); once it proves to carry
 * a valid session its user pays instead, and the address gets its token
 * back, while the user has tokens (WS_CONNECTS_PER_MINUTE_PER_USER). So an
 * office behind one address is not held back by its people's reconnects,
 * and one person reconnecting in a loop runs out of their own tokens first,
 * then draws on the address like anyone without a session.
 * A user past MAX_CONNECTIONS_PER_USER keeps the new connection (the tab in
 * front of them) and loses their oldest, closed with 4409 and a reason.
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
      return { status: 503, reason: 'total_cap', message: 'The server is at its connection limit', retryAfterSeconds: 10 };
    }
    if ((this.perIp.get(ip) ?? 0) >= config.MAX_CONNECTIONS_PER_IP) {
      return { status: 429, reason: 'ip_cap', message: 'Too many open connections from this address', retryAfterSeconds: CAP_RETRY_SECONDS };
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
    const peer: Peer = { id, ip, subscriptions: new SubscriptionSlots(config.MAX_SUBSCRIPTIONS_PER_CONNECTION), onAddress: true };
    this.total += 1;
    this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
    this.peers.set(socket, peer);
    socket.once('close', this.release.bind(this, peer));
    return peer;
  }

  /**
   * A token sent with the upgrade itself (cookie, Authorization header) is
   * looked up before the handshake, so its user pays for the connection at
   * once. Tokens sent later (connectionParams) are looked up in the context.
   */
  async preauthenticate(peer: Peer, token: string): Promise<void> {
    const session = await sessionForToken(this.deps, { token });
    peer.upgrade = { token, session };
    if (session) this.chargeUser(peer, session.userId);
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

  /** Gives the socket to its user; if that makes one more than MAX_CONNECTIONS_PER_USER, their oldest is closed. */
  bind(ws: WebSocket, session: ActiveSession): void {
    const peer = this.peers.get(ws);
    if (!peer || peer.session) return;
    this.chargeUser(peer, session.userId);
    if ((this.perUser.get(session.userId) ?? 0) >= this.deps.config.MAX_CONNECTIONS_PER_USER) this.replaceOldest(session.userId);
    this.perUser.set(session.userId, (this.perUser.get(session.userId) ?? 0) + 1);
    peer.session = session;
    clearTimeout(peer.deadline);
    peer.deadline = undefined;
    this.authenticated.set(ws, peer);
  }

  /** For tests and the soak: every count returns to zero when every socket is gone. */
  get counts() {
    return { total: this.total, addresses: this.perIp.size, users: this.perUser.size, authenticated: this.authenticated.size };
  }

  private release(peer: Peer): void {
    this.total -= 1;
    decrement(this.perIp, peer.ip);
    if (peer.session && !peer.replaced) decrement(this.perUser, peer.session.userId);
  }

  /** The user pays for the connection instead of its address, if they have a token left (once per connection). */
  private chargeUser(peer: Peer, userId: string): void {
    if (!peer.onAddress) return;
    peer.onAddress = false;
    if (this.deps.limits.wsUserConnects.take(userId).ok) this.deps.limits.wsConnects.giveBack(peer.ip);
  }

  /**
   * Closes the user's oldest connection (`authenticated` keeps the order they
   * bound in) and gives its place to the new one at once, so the count never
   * passes the cap while the old socket's close handshake runs. A scan, not
   * a per-user list: it runs only at the cap, and a list would cost every
   * connection memory.
   */
  private replaceOldest(userId: string): void {
    for (const [ws, peer] of this.authenticated) {
      if (peer.session?.userId !== userId) continue;
      peer.replaced = true;
      this.authenticated.delete(ws);
      decrement(this.perUser, userId);
      this.deps.metrics.refused.inc({ reason: 'user_cap' });
      this.deps.log.debug({ connId: peer.id, userId }, 'websocket replaced by a newer one of its user');
      ws.close(CloseCode.replaced, REPLACED_REASON);
      return;
    }
  }
}

function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}

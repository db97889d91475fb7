import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TRPCError } from '@trpc/server';
import { applyWSSHandler, type CreateWSSContextFnOptions } from '@trpc/server/adapters/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode } from '../../trpc/protocol.ts';
import { noCookie, type Context } from '../api/context.ts';
import { appRouter } from '../api/root.ts';
import { ConnectionRegistry } from '../realtime/connections.ts';
import type { Services } from '../services.ts';
import { Admission, type Refusal } from './admission.ts';
import { boundOutput } from './backpressure.ts';
import { requestToken } from './cookies.ts';
import { serveRoomSubscriptions } from './room-fastpath.ts';
import { isOriginAllowed } from './origin.ts';
import { startSessionRecheck } from './session-recheck.ts';

export function rejectUpgrade(socket: Duplex, status: number, reason: string, detail = reason, headers: Record<string, string> = {}): void {
  const body = `${detail}\n`;
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
  );
}

function refuseUpgrade(socket: Duplex, refusal: Refusal): void {
  const headers: Record<string, string> = refusal.retryAfterSeconds ? { 'Retry-After': String(refusal.retryAfterSeconds) } : {};
  rejectUpgrade(socket, refusal.status, refusal.status === 503 ? 'Service Unavailable' : 'Too Many Requests', refusal.message, headers);
}

/**
 * tRPC over WebSocket on `/api/trpc`, with what the stock adapter leaves out:
 * an Origin check at upgrade, a payload cap, server keepAlive, and refusal of
 * bad credentials with a close code Hearth's client will not hammer. Plus
 * admission (connection caps and rates, the authentication deadline), a bound
 * on each socket's unsent output, and a periodic session recheck.
 */
export function createWebSocketEndpoint(services: Services) {
  const { config, log, metrics } = services;
  const connections = new ConnectionRegistry(services);
  const admission = new Admission(services);
  const stopRecheck = startSessionRecheck(services, admission);
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.MAX_PAYLOAD_BYTES });

  // Each socket's context, as tRPC's createContext settles it (null: refused).
  const contexts = new WeakMap<WebSocket, (ctx: Context | null) => void>();

  wss.on('connection', (ws, req: IncomingMessage) => {
    const peer = admission.connected(ws, req.socket);
    const connLog = peer?.log ?? log;
    // Without a listener, a protocol error (e.g. an oversized frame) would throw.
    ws.on('error', (err) => connLog.debug({ err: err.message }, 'websocket error'));
    services.stats.connections += 1;
    const openedAt = Date.now();
    connLog.debug({ ip: peer?.ip }, 'websocket opened');
    ws.once('close', (code) => {
      services.stats.connections -= 1;
      connLog.debug({ code, userId: peer?.session?.userId, ms: Date.now() - openedAt }, 'websocket closed');
    });
    boundOutput(ws, config.WS_MAX_BUFFERED_BYTES, () => {
      metrics.slowConsumers.inc();
      connLog.warn({ ip: peer?.ip, userId: peer?.session?.userId, bufferedBytes: ws.bufferedAmount }, 'socket too slow: closed with 4008');
    });
    const context = new Promise<Context | null>((resolve) => contexts.set(ws, resolve));
    serveRoomSubscriptions(ws, services, context, peer?.subscriptions);
  });

  async function createContext(opts: CreateWSSContextFnOptions): Promise<Context> {
    const settle = contexts.get(opts.res);
    try {
      const ctx = await connectionContext(opts);
      settle?.(ctx);
      return ctx;
    } catch (error) {
      settle?.(null);
      throw error;
    }
  }

  async function connectionContext({ req, res: ws, info }: CreateWSSContextFnOptions): Promise<Context> {
    const peer = admission.peerOf(ws);
    const base = { services, transport: 'ws', cookie: noCookie, crossSite: false, clientIp: peer?.ip, subscriptions: peer?.subscriptions } as const;
    const param = info.connectionParams?.token;
    const token = typeof param === 'string' ? param : requestToken(req);
    if (!token) return { ...base, session: null };
    const session = await admission.sessionFor(req, token);
    // Each refusal below is queued before tRPC's own close, which runs after it
    // has sent the error: the client gets the typed error, then a close code
    // that says what to do (4401: stop; 4429: retry later).
    if (!session) {
      metrics.authFailures.inc({ reason: 'token' });
      setImmediate(() => ws.close(CloseCode.unauthorized, 'Unauthorized'));
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Invalid or expired session token' });
    }
    if (ws.readyState === ws.OPEN) {
      if (!admission.bind(ws, session)) {
        metrics.refused.inc({ reason: 'user_cap' });
        setImmediate(() => ws.close(CloseCode.tooManyConnections, 'Too many connections for this user'));
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `At most ${config.MAX_CONNECTIONS_PER_USER} connections per user` });
      }
      connections.add(ws, { sessionId: session.id, userId: session.userId });
    }
    return { ...base, session };
  }

  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext,
    keepAlive: { enabled: true, pingMs: config.WS_PING_INTERVAL_MS, pongWaitMs: config.WS_PONG_WAIT_MS },
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error, path }, 'procedure failed');
    },
  });

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!isOriginAllowed(req, config.ALLOWED_ORIGINS)) {
      metrics.refused.inc({ reason: 'origin' });
      log.warn({ origin: req.headers.origin }, 'websocket refused: origin not allowed');
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    const admitted = admission.admit(req, socket);
    if ('status' in admitted) return refused(socket, admitted);
    const token = requestToken(req);
    if (!token) return void wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    // A token in the upgrade itself (cookie, header): a user at their cap is refused before the handshake.
    admission.preauthenticate(req, token).then(
      (refusal) => {
        if (refusal) return refused(socket, refusal);
        if (!socket.destroyed) wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      },
      (err: unknown) => {
        log.error({ err }, 'websocket upgrade failed');
        rejectUpgrade(socket, 500, 'Internal Server Error');
      },
    );
  }

  function refused(socket: Duplex, refusal: Refusal): void {
    metrics.refused.inc({ reason: refusal.reason });
    log.debug({ ip: (socket as Socket).remoteAddress, reason: refusal.reason }, 'websocket refused');
    refuseUpgrade(socket, refusal);
  }

  /** Asks clients to move to another socket (tRPC's reconnect notice), then closes them. */
  function closeAll(): void {
    handler.broadcastReconnectNotification();
    for (const ws of wss.clients) ws.close(CloseCode.serviceRestart, 'Server restarting');
  }

  function dispose(): void {
    stopRecheck();
    for (const ws of wss.clients) ws.terminate();
    connections.dispose();
    wss.close();
  }

  return { wss, connections, admission, handleUpgrade, closeAll, dispose };
}

import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TRPCError } from '@trpc/server';
import { getWSConnectionHandler, type CreateWSSContextFnOptions } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import { CloseCode, refusalReason } from '../../shared/wire.ts';
import { ContextFailure, noCookie, requestIdOf, type Context } from '../api/context.ts';
import { appRouter } from '../api/root.ts';
import { standInRequest, takeMessageListener } from '../adapters/trpc.ts';
import { newId } from '../lib/ids.ts';
import { ConnectionRegistry } from '../realtime/connections.ts';
import type { Services } from '../app/services.ts';
import { Admission, type Refusal } from './admission.ts';
import { closeAtOnce } from './close-at-once.ts';
import { requestToken } from '../http/cookies.ts';
import { guardUpgrade, rejectUpgrade } from '../http/edge.ts';
import { HearthSocket } from './hearth-socket.ts';
import { requestTarget } from '../http/headers.ts';
import { isOriginAllowed } from '../http/origin.ts';
import { startSessionRecheck } from './session-recheck.ts';
import { SocketConnection } from './socket-connection.ts';

/**
 * A refusal the client can read, browsers included: the handshake answered
 * and closed at once with 4429 and "why; retry in N s". Only a request that is
 * no valid handshake gets the HTTP status (with Retry-After) instead.
 */
function refuseUpgrade(req: IncomingMessage, socket: Duplex, refusal: Refusal): void {
  if (closeAtOnce(req, socket, CloseCode.tooManyConnections, refusalReason(refusal.message, refusal.retryAfterSeconds))) return;
  const headers = { 'Retry-After': String(refusal.retryAfterSeconds) };
  rejectUpgrade(socket, refusal.status, refusal.status === 503 ? 'Service Unavailable' : 'Too Many Requests', refusal.message, headers);
}

/**
 * tRPC over WebSocket on `/api/trpc`, with what the stock adapter leaves out:
 * an Origin check at upgrade, a payload cap, server keepAlive, and refusal of
 * bad credentials with a close code Hearth's client will not hammer. Plus
 * admission (connection caps and rates, the authentication deadline), a bound
 * on each socket's unsent output, and a periodic session recheck.
 * `roomFrames: false` leaves every frame to tRPC's own adapter (no frame
 * writer): the differential test compares the two.
 */
export function createWebSocketEndpoint(services: Services, { roomFrames = true }: { roomFrames?: boolean } = {}) {
  const { config, log, metrics } = services;
  // The recheck refreshes held sessions when a user changes (the registry hears it on the sessions channel).
  const connections = new ConnectionRegistry(services, (userId) => recheck.refreshUser(userId));
  const admission = new Admission(services);
  const recheck = startSessionRecheck(services, admission);
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.MAX_PAYLOAD_BYTES, WebSocket: HearthSocket });
  const parts = { services, admission, connections };

  wss.on('connection', (ws: HearthSocket, req: IncomingMessage) => {
    ws.maxBuffered = config.WS_MAX_BUFFERED_BYTES;
    const connection = new SocketConnection(parts, ws, admission.connected(ws, req.socket));
    // Before tRPC's listeners: the connection hears of close and error first.
    ws.own(connection, roomFrames);
    if (roomFrames) connection.trpcMessage = takeMessageListener(trpcConnection, ws, slimRequest(req));
    else trpcConnection(ws, slimRequest(req));
  });

  async function createContext(opts: CreateWSSContextFnOptions): Promise<Context> {
    const connection = (opts.res as HearthSocket).owner as SocketConnection | null;
    try {
      const ctx = await connectionContext(opts);
      connection?.settle(ctx);
      return ctx;
    } catch (error) {
      connection?.settle(null);
      throw error;
    }
  }

  async function connectionContext({ res: ws, info }: CreateWSSContextFnOptions): Promise<Context> {
    const peer = admission.peerOf(ws);
    const base = {
      services,
      transport: 'ws',
      cookie: noCookie,
      crossSite: false,
      clientIp: peer?.ip,
      subscriptions: peer?.subscriptions,
      requestId: peer?.id,
    } as const;
    const param = info.connectionParams?.token;
    const token = typeof param === 'string' ? param : peer?.upgrade?.token;
    if (!token) return { ...base, session: null };
    const session = await admission.sessionFor(peer, token).catch((error: unknown) => {
      throw new ContextFailure(peer?.id, error);
    });
    // The refusal is queued before tRPC's own close, which runs after it has
    // sent the error: the client gets the typed error, then a close code that
    // says what to do (4401: stop).
    if (!session) {
      metrics.authFailures.inc({ reason: 'token' });
      setImmediate(() => ws.close(CloseCode.unauthorized, 'Unauthorized'));
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Invalid or expired session token' });
    }
    if (ws.readyState === ws.OPEN) {
      admission.bind(ws, session);
      connections.add(ws, { sessionId: session.id, userId: session.userId, connectionId: peer?.id ?? newId() });
    }
    return { ...base, session };
  }

  const trpcConnection = getWSConnectionHandler({
    wss,
    router: appRouter,
    createContext,
    keepAlive: { enabled: true, pingMs: config.WS_PING_INTERVAL_MS, pongWaitMs: config.WS_PONG_WAIT_MS },
    maxBatchSize: config.MAX_BATCH_CALLS,
    onError({ error, path, ctx }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error, path, connId: requestIdOf(error, ctx) }, 'procedure failed');
    },
  });

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    guardUpgrade(log, req, socket, head, upgrade);
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> | void {
    if (!isOriginAllowed(req, config.ALLOWED_ORIGINS)) {
      metrics.refused.inc({ reason: 'origin' });
      log.warn({ origin: req.headers.origin }, 'websocket refused: origin not allowed');
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    const admitted = admission.admit(req, socket);
    if ('status' in admitted) return refused(req, socket, admitted);
    const accept = () => {
      if (!socket.destroyed) wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    };
    const token = requestToken(req);
    if (!token) return accept();
    // A token in the upgrade itself (cookie, header): looked up before the handshake, so its user pays for the connection.
    return admission.preauthenticate(admitted, token).then(accept);
  }

  function refused(req: IncomingMessage, socket: Duplex, refusal: Refusal): void {
    metrics.refused.inc({ reason: refusal.reason });
    log.debug({ ip: (socket as Socket).remoteAddress, reason: refusal.reason }, 'websocket refused');
    refuseUpgrade(req, socket, refusal);
  }

  /** Asks clients to move to another socket (tRPC's reconnect notice), then closes them. */
  function closeAll(): void {
    const notice = JSON.stringify({ id: null, method: 'reconnect' });
    for (const ws of wss.clients) {
      if (ws.readyState === ws.OPEN) ws.send(notice);
      ws.close(CloseCode.serviceRestart, 'Server restarting');
    }
  }

  function dispose(): void {
    recheck.stop();
    for (const ws of wss.clients) ws.terminate();
    connections.dispose();
    wss.close();
  }

  return { wss, connections, admission, handleUpgrade, closeAll, dispose };
}

/**
 * What tRPC's adapter keeps of the upgrade request for the socket's whole
 * life: keeping the real one would hold its headers and parser state per
 * socket. The upgrade's token, if any, travels on the peer.
 */
function slimRequest(req: IncomingMessage): IncomingMessage {
  const target = requestTarget(req.url);
  return standInRequest(target ? `${target.pathname}${target.search}` : '/', req.method);
}

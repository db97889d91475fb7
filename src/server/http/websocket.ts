import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { TRPCError } from '@trpc/server';
import { applyWSSHandler, type CreateWSSContextFnOptions } from '@trpc/server/adapters/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode } from '../../trpc/protocol.ts';
import { noCookie, type Context } from '../api/context.ts';
import { appRouter } from '../api/root.ts';
import { sessionForToken } from '../auth/sessions.ts';
import { ConnectionRegistry } from '../realtime/connections.ts';
import type { Services } from '../services.ts';
import { requestToken } from './cookies.ts';
import { serveRoomSubscriptions } from './room-fastpath.ts';
import { isOriginAllowed } from './origin.ts';

export function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * tRPC over WebSocket on `/api/trpc`, with what the stock adapter leaves out:
 * an Origin check at upgrade, a payload cap, server keepAlive, and refusal of
 * bad credentials with a close code Hearth's client will not hammer.
 */
export function createWebSocketEndpoint(services: Services) {
  const { config, log } = services;
  const connections = new ConnectionRegistry(services);
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.MAX_PAYLOAD_BYTES });

  // Each socket's context, as tRPC's createContext settles it (null: refused).
  const contexts = new WeakMap<WebSocket, (ctx: Context | null) => void>();

  wss.on('connection', (ws) => {
    // Without a listener, a protocol error (e.g. an oversized frame) would throw.
    ws.on('error', (err) => log.debug({ err: err.message }, 'websocket error'));
    services.stats.connections += 1;
    ws.once('close', () => (services.stats.connections -= 1));
    const context = new Promise<Context | null>((resolve) => contexts.set(ws, resolve));
    serveRoomSubscriptions(ws, services, context);
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
    const param = info.connectionParams?.token;
    const token = typeof param === 'string' ? param : requestToken(req);
    if (!token) return { services, session: null, transport: 'ws', cookie: noCookie, crossSite: false };
    const session = await sessionForToken(services, { token });
    if (!session) {
      // Queued before tRPC's own close, which runs after it has sent the error:
      // the client gets the UNAUTHORIZED error, then a close code that says "stop".
      setImmediate(() => ws.close(CloseCode.unauthorized, 'Unauthorized'));
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Invalid or expired session token' });
    }
    if (ws.readyState === ws.OPEN) connections.add(ws, { sessionId: session.id, userId: session.userId });
    return { services, session, transport: 'ws', cookie: noCookie, crossSite: false };
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
      log.warn({ origin: req.headers.origin }, 'websocket refused: origin not allowed');
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  }

  /** Asks clients to move to another socket (tRPC's reconnect notice), then closes them. */
  function closeAll(): void {
    handler.broadcastReconnectNotification();
    for (const ws of wss.clients) ws.close(CloseCode.serviceRestart, 'Server restarting');
  }

  function dispose(): void {
    for (const ws of wss.clients) ws.terminate();
    connections.dispose();
    wss.close();
  }

  return { wss, connections, handleUpgrade, closeAll, dispose };
}

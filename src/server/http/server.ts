import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { TRPC_PATH } from '../../shared/wire.ts';
import { busRoundTrip } from '../realtime/bus-probe.ts';
import type { Config } from '../app/config.ts';
import { closeServices, createServices, type Services } from '../app/services.ts';
import { ensureDefaultRoom } from '../chat/default-room.ts';
import { destroyOnError, guardRequest, guardUpgrade, rejectUpgrade } from './edge.ts';
import { requestTarget } from './headers.ts';
import { serveMetrics } from './metrics-endpoint.ts';
import { isHostAllowed, MISDIRECTED, refuseMisdirected } from './origin.ts';
import { logRequest, requestId } from './request-log.ts';
import { setSecurityHeaders } from './security-headers.ts';
import { createTrpcHttpHandler } from './trpc-http.ts';
import { prepareWebApp, type WebApp } from './web.ts';
import { createWebSocketEndpoint } from '../ws/endpoint.ts';

export interface HearthServer {
  httpServer: http.Server;
  services: Services;
  websocket: ReturnType<typeof createWebSocketEndpoint>;
  /** Listens on config.PORT / config.HOST (port 0: any free port); resolves the base URL. */
  listen(): Promise<string>;
  /** Graceful stop: refuse new work, ask sockets to reconnect, finish writes, close the database. */
  close(): Promise<void>;
}

export interface ServerOptions {
  config: Config;
  /** Serve the Next.js web app too (npm start). API-only servers are quicker to boot in tests. */
  web?: { dir: string } | false;
  services?: Services;
}

/** The one server: Next.js pages, tRPC over HTTP and tRPC over WebSocket, on one port. */
export async function createHearthServer(options: ServerOptions): Promise<HearthServer> {
  const { config } = options;
  const services = options.services ?? (await createServices(config));
  const { log } = services;
  await ensureDefaultRoom(services);
  const web: WebApp | null = options.web ? await prepareWebApp({ dev: config.NODE_ENV === 'development', dir: options.web.dir, log }) : null;
  const trpcHttp = createTrpcHttpHandler(services);
  const websocket = createWebSocketEndpoint(services);
  services.metrics.watch({
    busLagSeconds: () => busRoundTrip(services.bus),
  });
  let closing = false;
  // Typing states expire on the server's clock, checked twice a second. A
  // failed sweep (Redis away) is logged: an unhandled rejection would end the process.
  const typingSweep = setInterval(() => {
    services.typing.sweep().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'typing sweep failed'));
  }, 500).unref();
  // With Redis: users whose instance died without saying goodbye go offline within the TTL.
  const presenceSweep = setInterval(
    () => {
      services.presence.expired().then(
        (users) => users.forEach((userId) => void websocket.connections.announce(userId)),
        (err) => log.warn({ err: (err as Error).message }, 'presence sweep failed'),
      );
    },
    Math.max(500, Math.floor(config.PRESENCE_TTL_MS / 2)),
  ).unref();

  // The edge of every request and upgrade: a fault in one is logged and
  // answered (guardRequest, guardUpgrade), and the server goes on serving.
  const httpServer = http.createServer((req, res) => {
    res.setHeader('X-Request-Id', requestId(req));
    guardRequest(log, req, res, serve);
  });

  function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> | void {
    const target = requestTarget(req.url);
    const pathname = target?.pathname ?? '';
    logRequest(log, req, res, pathname);
    if (closing) res.setHeader('Connection', 'close');
    setSecurityHeaders(res);
    if (!target) return void res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`${NOT_A_URL}\n`);
    if (!isHostAllowed(req, config, pathname)) return refuseMisdirected(res);
    if (pathname === TRPC_PATH || pathname.startsWith(`${TRPC_PATH}/`)) return trpcHttp(req, res, pathname);
    if (pathname === '/healthz') return health(services, res);
    if (pathname === '/metrics') return serveMetrics(services, req, res);
    if (web) return web.handle(req, res);
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
  }

  httpServer.on('upgrade', (req, socket, head) => {
    socket.on('error', destroyOnError);
    guardUpgrade(log, req, socket, head, upgrade);
  });

  function upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> | void {
    const target = requestTarget(req.url);
    if (!target) return rejectUpgrade(socket, 400, 'Bad Request', NOT_A_URL);
    const { pathname } = target;
    if (closing) {
      services.metrics.refused.inc({ reason: 'closing' });
      return rejectUpgrade(socket, 503, 'Service Unavailable');
    }
    if (!isHostAllowed(req, config, pathname)) return rejectUpgrade(socket, 421, 'Misdirected Request', MISDIRECTED);
    if (pathname === TRPC_PATH) return websocket.handleUpgrade(req, socket, head);
    if (web) return web.upgrade(req, socket, head);
    rejectUpgrade(socket, 404, 'Not Found');
  }

  async function close(): Promise<void> {
    if (closing) return;
    closing = true;
    clearInterval(typingSweep);
    clearInterval(presenceSweep);
    const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    websocket.closeAll();
    httpServer.closeIdleConnections();
    const drained = await services.inflight.drained(config.SHUTDOWN_GRACE_MS);
    if (!drained) log.warn({ inflight: services.inflight.size }, 'shutdown grace elapsed with calls in flight');
    websocket.dispose();
    httpServer.closeAllConnections();
    await stopped;
    await web?.close();
    await closeServices(services);
  }

  function listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.PORT, config.HOST, () => {
        httpServer.off('error', reject);
        const { port } = httpServer.address() as AddressInfo;
        const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
        resolve(`http://${host}:${port}`);
      });
    });
  }

  return { httpServer, services, websocket, listen, close };
}

const NOT_A_URL = 'The request target is not a URL';

async function health(services: Services, res: http.ServerResponse): Promise<void> {
  const check = async (probe: () => Promise<unknown>) => {
    try {
      await probe();
      return 'ok';
    } catch {
      return 'down';
    }
  };
  const database = await check(() => services.store.ping());
  const bus = await check(async () => {
    if (!(await services.bus.ping())) throw new Error('bus did not answer');
  });
  const ok = database === 'ok' && bus === 'ok';
  res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ status: ok ? 'ok' : 'degraded', database, bus }));
}

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tracked } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { getWSConnectionHandler } from '@trpc/server/adapters/ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { z } from 'zod';
import {
  dataFrame,
  duplicateIdFrame,
  parsedRequest,
  presetBody,
  procedurePaths,
  replyHead,
  standInRequest,
  startedFrame,
  stoppedFrame,
  subscriptionInput,
  takeMessageListener,
  TRPC_SERVER_VERSION,
} from '../../src/server/adapters/trpc.ts';
import { appRouter } from '../../src/server/api/root.ts';
import { publicProcedure, router } from '../../src/server/api/trpc.ts';
import { until } from '../helpers/raw-ws.ts';

/**
 * Each reach of src/server/adapters/trpc.ts into @trpc/server, checked
 * against the installed version with Hearth's own tRPC instance (its
 * errorFormatter shapes the errors). A failure here names the version.
 */
const installed = JSON.parse(fs.readFileSync(new URL('../../node_modules/@trpc/server/package.json', import.meta.url), 'utf8')).version as string;
const changed = (what: string) =>
  `@trpc/server ${installed} (adapter checked against ${TRPC_SERVER_VERSION}): ${what} changed; see src/server/adapters/trpc.ts`;

/** All Hearth's base middleware asks of a context outside a real server. */
const context = () => ({ services: { inflight: { track: <T>(run: () => T) => run() } } }) as never;

const echo = router({
  echo: publicProcedure.input(z.unknown()).mutation(({ input }) => input),
  // Subscriptions skip the base middleware's in-flight count, so no services are needed.
  feed: publicProcedure.input(z.unknown()).subscription(async function* ({ input }) {
    yield tracked('7', { input });
    yield { plain: true };
  }),
  forever: publicProcedure.subscription(async function* ({ signal }) {
    await new Promise((resolve) => signal?.addEventListener('abort', resolve));
    yield* [];
  }),
});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listening(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve).closeAllConnections()));
  return (server.address() as AddressInfo).port;
}

/** tRPC's ws handler on a socket, its message listener taken as Hearth takes it; `frames` is what the client got. */
async function served(pathAndQuery = '/') {
  const wss = new WebSocketServer({ noServer: true });
  const contexts: unknown[] = [];
  const handler = getWSConnectionHandler({
    wss,
    router: echo,
    createContext: (opts) => (contexts.push(opts.info.connectionParams), context()),
    keepAlive: { enabled: true, pingMs: 60_000, pongWaitMs: 60_000 },
  });
  const taken: Array<ReturnType<typeof takeMessageListener>> = [];
  const server = http.createServer();
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => taken.push(takeMessageListener(handler, ws, standInRequest(pathAndQuery, req.method)))),
  );
  const port = await listening(server);
  cleanups.push(() => {
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  });
  const client = new WebSocket(`ws://127.0.0.1:${port}${pathAndQuery}`);
  const frames: string[] = [];
  client.on('message', (data) => frames.push(data.toString()));
  await new Promise((resolve) => client.once('open', resolve));
  cleanups.push(() => client.close());
  await until(() => taken.length === 1);
  const [serverSide] = [...wss.clients];
  /** What the client sent, handed to tRPC's taken listener. */
  const deliver = (frame: unknown) => taken[0]!.call(serverSide!, Buffer.from(JSON.stringify(frame)), false);
  return { client, frames, deliver, contexts, serverSide: serverSide! };
}

describe(`@trpc/server internals Hearth relies on (checked against ${TRPC_SERVER_VERSION})`, () => {
  it('is the version the adapter was checked against', () => {
    expect(installed, changed('the version')).toBe(TRPC_SERVER_VERSION);
  });

  it("lists a router's procedures by type (_def.procedures)", () => {
    expect(procedurePaths(appRouter, 'subscription').sort(), changed('_def.procedures')).toEqual(['events.room', 'events.user']);
    expect(procedurePaths(echo, 'mutation'), changed('_def.procedures')).toEqual(['echo']);
  });

  it('serves a body preset on req.body instead of reading the stream', async () => {
    const server = http.createServer((req, res) => {
      req.resume().once('end', () => {
        presetBody(req, JSON.stringify({ from: 'preset' }));
        void nodeHTTPRequestHandler({ router: echo, req, res, path: 'echo', createContext: context });
      });
    });
    const port = await listening(server);
    const response = await fetch(`http://127.0.0.1:${port}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: 'stream' }),
    });
    expect(await response.json(), changed('req.body in the node-http adapter')).toEqual({ result: { data: { from: 'preset' } } });
  });

  it("takes the ws handler's message listener: the socket no longer answers, the listener does", async () => {
    const { client, frames, deliver, serverSide } = await served();
    let arrived = 0;
    serverSide.on('message', () => (arrived += 1));
    client.send(JSON.stringify({ id: 1, method: 'mutation', params: { path: 'echo', input: 'ignored' } }));
    await until(() => arrived === 1);
    // The sentinel: the reply to 2, handed to the taken listener after 1 reached the socket.
    deliver({ id: 2, method: 'mutation', params: { path: 'echo', input: 'taken' } });
    await until(() => frames.length > 0);
    expect(frames, changed("getWSConnectionHandler's 'message' listener")).toEqual(['{"id":2,"result":{"type":"data","data":"taken"}}']);
  });

  it('reads ?connectionParams=1 off the stand-in request, and the params from the taken listener', async () => {
    const { contexts, deliver } = await served('/?connectionParams=1');
    expect(contexts, changed('the stand-in request')).toEqual([]);
    deliver({ method: 'connectionParams', data: { token: 't' } });
    await until(() => contexts.length === 1);
    expect(contexts, changed('connectionParams')).toEqual([{ token: 't' }]);
    const plain = await served('/');
    await until(() => plain.contexts.length === 1);
    expect(plain.contexts, changed('the stand-in request')).toEqual([null]);
  });

  it('writes subscription frames as the frame writer writes them', async () => {
    const { frames, deliver } = await served();
    deliver({ id: 'a', jsonrpc: '2.0', method: 'subscription', params: { path: 'feed', input: { x: 1 }, lastEventId: '5' } });
    await until(() => frames.length === 4);
    const head = replyHead('a', '2.0');
    const input = JSON.stringify({ input: subscriptionInput({ input: { x: 1 }, lastEventId: '5' }) });
    expect(frames.slice(0, 4), changed('the subscription frames')).toEqual([
      startedFrame(head),
      dataFrame(head, input, '7'),
      dataFrame(head, '{"plain":true}', null),
      stoppedFrame(head),
    ]);
    expect(JSON.parse(input), changed('lastEventId merged into the input')).toEqual({ input: { x: 1, lastEventId: '5' } });
  });

  it("refuses a subscription id in use with the frame writer's duplicate-id error", async () => {
    const { frames, deliver } = await served();
    deliver({ id: 3, method: 'subscription', params: { path: 'forever', input: null } });
    await until(() => frames.length === 1);
    deliver({ id: 3, method: 'subscription', params: { path: 'forever', input: null } });
    await until(() => frames.length === 2);
    expect(frames, changed('the duplicate id error')).toEqual([startedFrame(replyHead(3, undefined)), duplicateIdFrame(replyHead(3, undefined), 3, 'forever')]);
  });

  it("accepts and refuses requests as tRPC's message parser does", () => {
    expect(parsedRequest({ id: 1, method: 'subscription', params: { path: 'p', input: 1 } }), changed('parseTRPCMessage')).toMatchObject({
      id: 1,
      params: { path: 'p' },
    });
    for (const bad of [
      { method: 'query', params: { path: 'p' } },
      { id: 1, jsonrpc: '1.0', method: 'query', params: { path: 'p' } },
      { id: 1, method: 'nope', params: { path: 'p' } },
      { id: 1, method: 'query', params: { path: 1 } },
    ]) {
      expect(parsedRequest(bad), changed('parseTRPCMessage')).toBeNull();
    }
  });
});

import type WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { createRoom, people } from './helpers/chat.ts';
import { messages, opened, rawSocket, until } from './helpers/raw-ws.ts';
import { startServer, type TestServer } from './helpers/server.ts';

/**
 * Text is refused or kept exactly, the same on SQLite and PostgreSQL (this file
 * runs on both). Bad text is sent as JSON escapes in hand-written bodies and
 * frames: that is what any client sends, since JSON.stringify escapes a lone
 * surrogate too, and what JSON.parse on the server turns back into one.
 */
const BAD = { nul: '\\u0000', high: '\\ud83d', low: '\\ude00', reversed: '\\ude00\\ud83d' };
const decoded = (escaped: string) => JSON.parse(`"${escaped}"`) as string;

interface Call {
  path: string;
  type: 'query' | 'mutation';
  /** The raw JSON input, with `bad` (a JSON escape) in the field. */
  input: (bad: string) => string;
  field: (bad: string) => Array<string | number>;
  signedIn: boolean;
}

function calls(roomId: string, messageId: string): Call[] {
  const send = (body: string, clientMessageId: string, extra = '') => `{"roomId":"${roomId}","body":"${body}","clientMessageId":"${clientMessageId}"${extra}}`;
  const call = (path: string, type: Call['type'], field: string, input: (bad: string) => string, signedIn = true): Call => ({
    path,
    type,
    input,
    field: () => [field],
    signedIn,
  });
  return [
    call('messages.send', 'mutation', 'body', (bad) => send(`hi ${bad} there`, 'c1')),
    call('messages.send', 'mutation', 'clientMessageId', (bad) => send('hi', `c${bad}`)),
    { ...call('messages.send', 'mutation', '', (bad) => send('hi', 'c2', `,"k${bad}":1`)), field: (bad) => [`k${decoded(bad)}`] },
    call('messages.edit', 'mutation', 'body', (bad) => `{"messageId":"${messageId}","body":"edited ${bad}"}`),
    call('rooms.create', 'mutation', 'name', (bad) => `{"name":"room ${bad}","kind":"open"}`),
    call('users.search', 'query', 'query', (bad) => `{"query":"al${bad}"}`),
    call('admin.users.list', 'query', 'query', (bad) => `{"query":"al${bad}"}`),
    call('auth.register', 'mutation', 'username', (bad) => `{"username":"mal${bad}","password":"correct horse battery"}`, false),
    call('auth.register', 'mutation', 'password', (bad) => `{"username":"mallory","password":"correct horse ${bad}"}`, false),
    call('auth.register', 'mutation', 'displayName', (bad) => `{"username":"mallory","password":"correct horse battery","displayName":"Mal ${bad}"}`, false),
    call('auth.login', 'mutation', 'username', (bad) => `{"username":"alice${bad}","password":"correct horse battery"}`, false),
    call('auth.login', 'mutation', 'password', (bad) => `{"username":"alice","password":"correct horse battery${bad}"}`, false),
  ];
}

type ErrorBody = { error?: { data?: { code?: string; httpStatus?: number; issues?: Array<{ path: unknown[]; message: string }> } } };

async function overHttp(hearth: TestServer, call: Call, input: string, token: string): Promise<ErrorBody & { status: number }> {
  const headers: Record<string, string> = call.signedIn ? { authorization: `Bearer ${token}` } : {};
  const url = `${hearth.url}/api/trpc/${call.path}`;
  const response =
    call.type === 'query'
      ? await fetch(`${url}?input=${encodeURIComponent(input)}`, { headers })
      : await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: input });
  return { status: response.status, ...((await response.json()) as ErrorBody) };
}

/** One raw socket per identity; each call waits for the answer with its id. */
function overWs(sockets: Record<'in' | 'out', { ws: WebSocket; inbox: unknown[] }>) {
  let next = 0;
  return async (call: Call, input: string): Promise<ErrorBody> => {
    const { ws, inbox } = sockets[call.signedIn ? 'in' : 'out'];
    const id = ++next;
    ws.send(`{"id":${id},"method":"${call.type}","params":{"path":"${call.path}","input":${input}}}`);
    const answer = () => inbox.find((m) => (m as { id?: number }).id === id) as ErrorBody | undefined;
    await until(() => answer() !== undefined);
    return answer()!;
  };
}

async function setup() {
  const hearth = await startServer();
  const { alice } = await people(hearth, 'alice'); // the first account: an admin, so admin.users.list runs
  const room = await createRoom({ by: alice });
  const message = await alice.api.messages.send.mutate({ roomId: room.id, body: 'original', clientMessageId: 'seed' });
  const socket = async (headers: Record<string, string>) => {
    const ws = rawSocket(hearth.url, headers);
    const inbox = messages(ws);
    await opened(ws);
    return { ws, inbox };
  };
  const sockets = { in: await socket({ authorization: `Bearer ${alice.token}` }), out: await socket({}) };
  const db = hearth.server.services.store.prisma;
  const written = async () => ({
    users: await db.user.count(),
    rooms: await db.room.count(),
    messages: await db.message.count(),
    lastSeq: (await db.room.findUniqueOrThrow({ where: { id: room.id } })).lastSeq,
    body: (await db.message.findUniqueOrThrow({ where: { id: message.id } })).body,
  });
  return { hearth, alice, room, message, ws: overWs(sockets), written, close: () => Object.values(sockets).forEach((s) => s.ws.close()) };
}

describe('text the database could not keep exactly', () => {
  it('sees JSON.stringify escape a lone surrogate, as our bodies do, and JSON.parse restore it', () => {
    expect(JSON.stringify('a\ud800b')).toBe('"a\\ud800b"');
    expect(JSON.stringify('\u0000')).toBe('"\\u0000"');
    expect(decoded(BAD.reversed)).toBe('\ude00\ud83d');
    // With the `u` flag a pair is one code point: only the halves of a broken one are surrogates.
    expect(/\p{Surrogate}/u.test(decoded(BAD.reversed))).toBe(true);
    expect(/\p{Surrogate}/u.test('\ud83d\ude00 𝒳')).toBe(false);
  });

  it('is refused with BAD_REQUEST naming the field, in every text field, over HTTP and WebSocket, writing nothing', { timeout: 60_000 }, async () => {
    const { hearth, alice, room, message, ws, written, close } = await setup();
    const before = await written();
    expect(before).toEqual({ users: 1, rooms: 1, messages: 1, lastSeq: 2, body: 'original' });
    for (const call of calls(room.id, message.id)) {
      for (const [kind, bad] of Object.entries(BAD)) {
        const input = call.input(bad);
        const what = `${call.path} ${call.field(bad).join('.')} with ${kind}`;
        const http = await overHttp(hearth, call, input, alice.token);
        expect(http.status, what).toBe(400);
        expect(http.error?.data?.code, what).toBe('BAD_REQUEST');
        expect(
          http.error?.data?.issues?.map((issue) => issue.path),
          what,
        ).toEqual([call.field(bad)]);
        expect(http.error?.data?.issues?.[0]?.message, what).toMatch(kind === 'nul' ? /NUL \(U\+0000\)/ : /lone UTF-16 surrogate/);
        const socket = await ws(call, input);
        expect(socket.error?.data?.code, `${what} over WebSocket`).toBe('BAD_REQUEST');
        expect(
          socket.error?.data?.issues?.map((issue) => issue.path),
          `${what} over WebSocket`,
        ).toEqual([call.field(bad)]);
      }
    }
    expect(await written()).toEqual(before);
    close();
  });

  it('names every bad field of a call, and refuses input nested deeper than any procedure takes', async () => {
    const { hearth, alice, room, written } = await setup();
    const before = await written();
    const send: Call = { path: 'messages.send', type: 'mutation', input: () => '', field: () => [], signedIn: true };
    const both = await overHttp(hearth, send, `{"roomId":"${room.id}","body":"a\\u0000","clientMessageId":"b\\udfff"}`, alice.token);
    expect(both.error?.data?.issues?.map((issue) => issue.path)).toEqual([['body'], ['clientMessageId']]);
    const deep = await overHttp(
      hearth,
      send,
      `{"roomId":"${room.id}","body":"hi","clientMessageId":"d","x":${'['.repeat(100)}${']'.repeat(100)}}`,
      alice.token,
    );
    expect(deep.status).toBe(400);
    expect(deep.error?.data?.issues?.[0]?.message).toMatch(/nested more than 32 levels/);
    expect(await written()).toEqual(before);
  });
});

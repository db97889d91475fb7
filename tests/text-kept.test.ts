import { describe, expect, it } from 'vitest';
import { createRoom, people, watchRoom } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

/** Valid text comes back exactly as sent, on SQLite and PostgreSQL (this file runs on both). */
const ASTRAL = [
  'emoji 😀 👩‍💻 🏳️‍🌈 🧑🏽‍🦰 1️⃣ 🏴󠁧󠁢󠁳󠁣󠁴󠁿',
  'CJK 漢字 かな 한국어',
  'math 𝒳 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u{10FFFD}',
  'combining e\u0301 and a replacement character \uFFFD itself',
  'right to left: שלום محمد',
];

describe('valid text, astral planes included', () => {
  it('round-trips exactly through send, edit, history, the live stream and the database, over HTTP and WebSocket', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    const stream = watchRoom(bob.connect(), room.id);
    await until(() => stream.started);
    const overWs = hearth.client({ token: alice.token, transport: 'ws' }).trpc;
    const db = hearth.server.services.store.prisma;

    for (const [i, text] of ASTRAL.entries()) {
      const api = i % 2 === 0 ? alice.api : overWs;
      const sent = await api.messages.send.mutate({ roomId: room.id, body: text, clientMessageId: `astral-${i}-${text}` });
      expect(sent.body).toBe(text);
      expect(sent.clientMessageId).toBe(`astral-${i}-${text}`);
      expect((await db.message.findUniqueOrThrow({ where: { id: sent.id } })).body).toBe(text);
    }
    const history = await alice.api.messages.history.query({ roomId: room.id });
    expect(history.messages.map((m) => m.body)).toEqual(ASTRAL);
    await until(() => stream.seqs().length === ASTRAL.length);
    expect(stream.received.flatMap(({ event }) => (event.type === 'message.created' ? [event.message.body] : []))).toEqual(ASTRAL);

    const first = history.messages[0]!;
    const edited = await overWs.messages.edit.mutate({ messageId: first.id, body: ASTRAL.at(-1)! });
    expect(edited.body).toBe(ASTRAL.at(-1));
    expect((await alice.api.messages.get.query({ messageId: first.id })).body).toBe(ASTRAL.at(-1));
  });

  it('keeps astral display names, room names and search queries exactly', async () => {
    const hearth = await startServer();
    const { alice } = await people(hearth, 'alice');
    const name = 'Zoë 👩‍💻 𝒳 李';
    const zoe = await hearth.client().trpc.auth.register.mutate({ username: 'zoe', password: 'correct horse battery', displayName: name });
    expect(zoe.user.displayName).toBe(name);
    expect((await hearth.client({ token: zoe.token }).trpc.auth.me.query()).displayName).toBe(name);
    expect((await alice.api.users.search.query({ query: '𝒳 李' })).map((u) => [u.username, u.displayName])).toEqual([['zoe', name]]);
    expect((await alice.api.admin.users.list.query({ query: '👩‍💻' })).map((u) => u.username)).toEqual(['zoe']);

    const roomName = '山 🏔️ 𝒳 room';
    const room = await createRoom({ by: alice, name: roomName });
    expect(room.name).toBe(roomName);
    expect((await alice.api.rooms.list.query()).map((r) => r.name)).toEqual([roomName]);
  });
});

describe('MAX_MESSAGE_LENGTH', () => {
  it('counts characters (code points), not UTF-16 units: that many emoji fit, one more does not', async () => {
    const hearth = await startServer();
    const max = hearth.server.services.config.MAX_MESSAGE_LENGTH;
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice });
    const full = '😀'.repeat(max);
    expect(full.length).toBe(2 * max);
    const sent = await alice.api.messages.send.mutate({ roomId: room.id, body: full, clientMessageId: 'full' });
    expect(sent.body).toBe(full);
    expect((await alice.api.messages.send.mutate({ roomId: room.id, body: `${'x'.repeat(max - 1)}𝒳`, clientMessageId: 'mixed' })).seq).toBe(3);

    const over = await rejection(alice.api.messages.send.mutate({ roomId: room.id, body: `${full}😀`, clientMessageId: 'over' }));
    expect(over.data?.code).toBe('BAD_REQUEST');
    expect(over.data?.issues).toEqual([{ path: ['body'], message: `A message can be at most ${max} characters`, code: 'custom' }]);
    const edit = await rejection(alice.api.messages.edit.mutate({ messageId: sent.id, body: `${full} 😀` }));
    expect(edit.data?.issues?.[0]?.path).toEqual(['body']);
    expect((await hearth.server.services.store.prisma.room.findUniqueOrThrow({ where: { id: room.id } })).lastSeq).toBe(3);
    expect((await alice.api.messages.get.query({ messageId: sent.id })).body).toBe(full);
  });
});

/** Characters that draw nothing or reorder what is around them, each inside an otherwise fine name. */
const INVISIBLE = {
  'bidi override': 'evil\u202Egpj.exe',
  'bidi isolate': 'a\u2066b\u2069',
  'zero-width space': 'Ali\u200Bce',
  'zero-width joiner between letters': 'Ali\u200Dce',
  'word joiner': 'Ali\u2060ce',
  'BOM inside': 'Ali\uFEFFce',
  'soft hyphen': 'Ali\u00ADce',
  'Hangul filler': '\u3164',
  'Hangul filler beside a name': 'Alice\u3164',
  'tag characters': 'Alice\u{E0041}\u{E0042}',
  'variation selector on a letter': 'Ali\uFE0Fce',
  tab: 'Ali\tce',
  'line separator': 'Ali\u2028ce',
};
const VISIBLE = ['👩‍💻', '🧑🏽‍🦰 Kim', '🏳️‍🌈 Pride', '❤️ Love', '1️⃣ First', '🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scot', 'محمد', 'Zoë Smith'];

describe('display names and room names', () => {
  it('cannot carry control or invisible formatting characters; emoji sequences and other scripts are fine', async () => {
    const hearth = await startServer();
    const { alice } = await people(hearth, 'alice');
    const db = hearth.server.services.store.prisma;
    const anonymous = hearth.client().trpc;
    for (const [what, text] of Object.entries(INVISIBLE)) {
      const register = await rejection(anonymous.auth.register.mutate({ username: 'mallory', password: 'correct horse battery', displayName: text }));
      expect(register.data?.code, what).toBe('BAD_REQUEST');
      expect(register.data?.issues, what).toEqual([
        { path: ['displayName'], message: 'a display name cannot contain invisible or control characters', code: 'custom' },
      ]);
      const room = await rejection(alice.api.rooms.create.mutate({ name: text, kind: 'open' }));
      expect(room.data?.issues, what).toEqual([{ path: ['name'], message: 'a room name cannot contain invisible or control characters', code: 'custom' }]);
    }
    expect([await db.user.count(), await db.room.count()]).toEqual([1, 0]);

    for (const [i, text] of VISIBLE.entries()) {
      const { user } = await anonymous.auth.register.mutate({ username: `person${i}`, password: 'correct horse battery', displayName: text });
      expect(user.displayName).toBe(text);
      expect((await alice.api.rooms.create.mutate({ name: text, kind: 'open' })).name).toBe(text);
    }
  });
});

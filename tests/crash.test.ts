import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { RoomStreamEvent } from '../src/server/chat/room-events.ts';
import { createNodeHearthClient } from '../src/trpc/node.ts';
import { range } from './helpers/chat.ts';
import { spawnHearth, TEST_SETUP_TOKEN, type HearthProcess } from './helpers/process.ts';
import { until, untilResolves } from './helpers/raw-ws.ts';
import { tempDir } from './helpers/server.ts';

describe('a server killed with SIGKILL and restarted', () => {
  let proc: HearthProcess | undefined;
  const clients: Array<{ close(): Promise<void> }> = [];
  let dir: string;

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    if (proc && proc.child.exitCode === null && proc.child.signalCode === null) {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged message, duplicates none, and keeps seqs contiguous', { timeout: 120_000 }, async () => {
    dir = await tempDir();
    const dbFile = path.join(dir, 'hearth.db');
    const env = { DATABASE_URL: `file:${dbFile}`, SERVE_WEB: 'false' };
    proc = await spawnHearth(env);
    const url = proc.url;
    const port = new URL(url).port;

    const anonymous = createNodeHearthClient({ url });
    clients.push(anonymous);
    const alice = await anonymous.trpc.auth.register.mutate({ username: 'alice', password: 'correct horse battery', setupToken: TEST_SETUP_TOKEN });
    const bob = await anonymous.trpc.auth.register.mutate({ username: 'bob', password: 'correct horse battery', setupToken: TEST_SETUP_TOKEN });
    const sender = createNodeHearthClient({ url, token: alice.token });
    const watcher = createNodeHearthClient({ url, token: bob.token });
    clients.push(sender, watcher);
    const room = await sender.trpc.rooms.create.mutate({ name: 'crash', kind: 'closed', memberIds: [bob.user.id] });

    // Bob's stream: the stock client resubscribes with the last tracked id after every reconnect.
    const received: { id: string; event: RoomStreamEvent }[] = [];
    let started = 0;
    watcher.trpc.events.room.subscribe(
      { roomId: room.id },
      {
        onStarted: () => started++,
        onData: (value) => {
          const item = value as unknown as { id?: string; data: RoomStreamEvent };
          if (item.id !== undefined && item.data.type !== 'presence') received.push({ id: item.id, event: item.data });
        },
      },
    );
    await until(() => started === 1);

    // Three senders, 60 messages each, retrying every failure with the same clientMessageId.
    const acknowledged = new Map<string, { id: string; seq: number }>();
    const send = async (clientMessageId: string) => {
      const message = await untilResolves(
        () => sender.trpc.messages.send.mutate({ roomId: room.id, body: `body of ${clientMessageId}`, clientMessageId }),
        20_000,
      );
      acknowledged.set(clientMessageId, { id: message.id, seq: message.seq });
    };
    const senders = range(1, 3).map(async (s) => {
      for (const i of range(1, 60)) await send(`s${s}-m${i}`);
    });
    const crash = (async () => {
      await until(() => acknowledged.size >= 45, 30_000);
      proc!.child.kill('SIGKILL');
      await proc!.exited;
      proc = await spawnHearth({ ...env, PORT: port });
    })();
    await Promise.all([...senders, crash]);
    expect(acknowledged.size).toBe(180);

    const db = new Database(dbFile, { readonly: true });
    try {
      const lastSeq = (db.prepare('SELECT lastSeq FROM Room WHERE id = ?').get(room.id) as { lastSeq: number }).lastSeq;
      await until(() => received.length > 0 && Number(received.at(-1)!.id) === lastSeq, 30_000);
      expect(started).toBeGreaterThanOrEqual(2); // it really was resubscribed

      // Delivered exactly once, in order: seqs 3..lastSeq (1 and 2 are the joins before the subscription).
      expect(received.map((r) => Number(r.id))).toEqual(range(3, lastSeq));
      const deliveredIds = received.flatMap((r) => (r.event.type === 'message.created' ? [r.event.message.id] : []));
      expect(new Set(deliveredIds).size).toBe(deliveredIds.length);
      for (const message of acknowledged.values()) expect(deliveredIds).toContain(message.id);

      // One row per clientMessageId; the log has no gap.
      expect(db.prepare('SELECT COUNT(*) AS n FROM Message').get()).toEqual({ n: 180 });
      expect(db.prepare('SELECT COUNT(DISTINCT clientMessageId) AS n FROM Message').get()).toEqual({ n: 180 });
      const seqs = db.prepare('SELECT seq FROM RoomEvent WHERE roomId = ? ORDER BY seq').all(room.id) as { seq: number }[];
      expect(seqs.map((r) => r.seq)).toEqual(range(1, lastSeq));
      expect(lastSeq).toBe(182);
    } finally {
      db.close();
    }
  });
});

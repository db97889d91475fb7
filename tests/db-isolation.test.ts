import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FALLBACK_PAGES } from '../src/server/db/checkpointer.ts';
import { createRoom, people, range } from './helpers/chat.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

const user = (username: string) => ({ id: crypto.randomUUID(), username, displayName: username, passwordHash: 'x' });

describe('the SQLite connection shared by concurrent requests', () => {
  it("never lets one request's rollback undo another request's acknowledged write, nor show uncommitted rows", async () => {
    const hearth = await startServer();
    const { db } = hearth.server.services;
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    const failing = db
      .$transaction(async (tx) => {
        await tx.user.create({ data: user('doomed') });
        await holding;
        throw new Error('this transaction rolls back');
      })
      .catch((error: Error) => error.message);
    await new Promise((r) => setTimeout(r, 20));

    // Another request writes and reads while that transaction is open; it ends 100 ms later.
    setTimeout(release, 100);
    const read = await db.user.findMany({ select: { username: true } });
    await db.user.create({ data: user('acknowledged') }); // acknowledged here
    expect(read.map((u) => u.username)).not.toContain('doomed');
    await expect(failing).resolves.toBe('this transaction rolls back');
    expect((await db.user.findMany({ select: { username: true } })).map((u) => u.username)).toEqual(['acknowledged']);
  });
});

describe('the write-ahead log', () => {
  it('is copied into the database file by the background checkpointer, while commits only append to it', async () => {
    const hearth = await startServer();
    const file = path.join(hearth.dir, 'hearth.db');
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice });
    const before = fs.statSync(file).size;
    const sent = [];
    for (const tens of range(0, 9)) {
      // Ten at a time: one HTTP batch stays under the 64 KiB body limit.
      const send = (i: number) => alice.api.messages.send.mutate({ roomId: room.id, body: `${i} `.padEnd(4000, 'x'), clientMessageId: `c${i}` });
      sent.push(...(await Promise.all(range(tens * 10 + 1, tens * 10 + 10).map(send))));
    }
    // 400 KB: ~100 pages, far below the commit-time fallback, so only the worker can have copied them.
    expect(FALLBACK_PAGES).toBeGreaterThan(1000);
    await until(() => fs.statSync(file).size >= before + 100 * 4000, 5000);
    expect(sent.map((m) => m.seq)).toEqual(range(2, 101));
    expect(await hearth.server.services.db.message.count()).toBe(100);
  });
});

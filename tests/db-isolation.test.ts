import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startServer } from './helpers/server.ts';

const user = (username: string) => ({ id: crypto.randomUUID(), username, displayName: username, passwordHash: 'x' });

describe('the SQLite connection shared by concurrent requests', () => {
  it("never lets one request's rollback undo another request's acknowledged write, nor show uncommitted rows", async () => {
    const hearth = await startServer();
    const db = hearth.server.services.store.prisma;
    let release!: () => void;
    let wrote!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    const doomedWritten = new Promise<void>((resolve) => (wrote = resolve));
    const failing = db
      .$transaction(async (tx) => {
        await tx.user.create({ data: user('doomed') });
        wrote();
        await holding;
        throw new Error('this transaction rolls back');
      })
      .catch((error: Error) => error.message);
    await doomedWritten;

    // Another request writes and reads while that transaction is open. The
    // timer is a hold, not a wait: ungated, the read would finish inside it.
    setTimeout(release, 100);
    const read = await db.user.findMany({ select: { username: true } });
    await db.user.create({ data: user('acknowledged') }); // acknowledged here
    expect(read.map((u) => u.username)).not.toContain('doomed');
    await expect(failing).resolves.toBe('this transaction rolls back');
    expect((await db.user.findMany({ select: { username: true } })).map((u) => u.username)).toEqual(['acknowledged']);
  });
});

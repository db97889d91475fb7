import fs from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { describe, expect, it } from 'vitest';
import { betterSqliteHandleOf, gatedAdapterMethods, gatedTransactionMethods } from '../../src/server/adapters/prisma.ts';
import { tempDir } from '../helpers/server.ts';

/** Read from node_modules: the package's exports do not offer its package.json. */
const versionOf = (name: string) => (JSON.parse(fs.readFileSync(path.join('node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const ADAPTER = `@prisma/adapter-better-sqlite3@${versionOf('@prisma/adapter-better-sqlite3')}`;

/**
 * src/server/adapters/prisma.ts reaches into Prisma's SQLite driver adapter.
 * When an upgrade moves what it relies on, this fails first, naming the version.
 */
describe(`the Prisma internals Hearth relies on (${ADAPTER})`, () => {
  async function connected() {
    const file = path.join(await tempDir(), 'canary.db');
    return new PrismaBetterSQLite3({ url: `file:${file}` }).connect();
  }

  it('keeps the better-sqlite3 handle in the adapter, usable for prepared statements', async () => {
    const adapter = await connected();
    try {
      const handle = (() => {
        try {
          return betterSqliteHandleOf(adapter);
        } catch (error) {
          throw new Error(`${ADAPTER}: ${(error as Error).message}`, { cause: error });
        }
      })();
      // The adapter makes the handle read integers as bigint; store/sqlite/statements.ts asks for numbers per statement.
      expect(handle.prepare('SELECT 41 + 1 AS answer').safeIntegers(false).get(), `${ADAPTER}: the handle does not run statements`).toEqual({ answer: 42 });
    } finally {
      await adapter.dispose();
    }
  });

  it('has the adapter and transaction methods the write gate wraps (db/serialized-adapter.ts)', async () => {
    const adapter = await connected();
    try {
      for (const method of gatedAdapterMethods) {
        expect(typeof (adapter as unknown as Record<string, unknown>)[method], `${ADAPTER}: adapter.${method} is gone`).toBe('function');
      }
      const tx = await adapter.startTransaction();
      for (const method of gatedTransactionMethods) {
        expect(typeof (tx as unknown as Record<string, unknown>)[method], `${ADAPTER}: transaction.${method} is gone`).toBe('function');
      }
      await tx.rollback();
    } finally {
      await adapter.dispose();
    }
  });
});

import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openStore } from '../../src/server/store/open.ts';
import type { Store } from '../../src/server/store/store.ts';
import { freshPostgresDatabase, servicesAvailable } from '../helpers/database.ts';
import { tempDir } from '../helpers/server.ts';

/** Opens an empty store; `drop` removes its database after the test. */
export type OpenStore = () => Promise<{ store: Store; drop(): Promise<void> }>;
export type StoreContract = (name: string, open: OpenStore) => void;

export const newId = () => crypto.randomUUID();

/**
 * Gives every test of a contract a store of its own, closed and dropped after
 * it; `use` receives each one (the contract keeps it in its own `let store`).
 * `person` and `admin` make an account in whichever store is current.
 */
export function storePerTest(open: OpenStore, use: (store: Store) => void) {
  let current: Awaited<ReturnType<OpenStore>> | undefined;
  beforeEach(async () => {
    current = await open();
    use(current.store);
  });
  afterEach(async () => {
    await current?.store.close();
    await current?.drop();
    current = undefined;
  });
  const account = (username: string, role: 'admin' | 'member') => {
    if (!current) throw new Error('an account is made inside a test');
    return current.store.accounts.inAdminLine((line) => line.createUser({ id: newId(), username, displayName: username, passwordHash: 'x', role }));
  };
  return { person: (username: string) => account(username, 'member'), admin: (username: string) => account(username, 'admin') };
}

const sqliteUrl = async () => `file:${path.join(await tempDir(), 'hearth.db')}`;
const kept = async () => {};

/**
 * Runs a contract on every store: SQLite's own (prepared statements, group
 * commit), Prisma on SQLite (so Prisma's code runs in every `npm test`, not only
 * against PostgreSQL) and Prisma on PostgreSQL where it is configured.
 */
export function onEveryStore(contract: StoreContract): void {
  contract('SQLite (prepared statements, group commit)', async () => ({ store: await openStore(await sqliteUrl()), drop: kept }));
  contract('Prisma on SQLite', async () => ({ store: await openStore(await sqliteUrl(), { engine: 'prisma' }), drop: kept }));
  if (servicesAvailable()) {
    contract('Prisma on PostgreSQL', async () => {
      const database = await freshPostgresDatabase();
      return { store: await openStore(database.url), drop: database.drop };
    });
  }
}

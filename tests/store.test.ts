import path from 'node:path';
import { openStore } from '../src/server/store/open.ts';
import { storeContract } from './contracts/store.ts';
import { freshPostgresDatabase, servicesAvailable } from './helpers/database.ts';
import { tempDir } from './helpers/server.ts';

const sqliteUrl = async () => `file:${path.join(await tempDir(), 'hearth.db')}`;
const kept = async () => {};

storeContract('SQLite (prepared statements, group commit)', async () => ({ store: await openStore(await sqliteUrl()), drop: kept }));

// Prisma's store on SQLite: its code runs in every `npm test`, not only against PostgreSQL.
storeContract('Prisma on SQLite', async () => ({ store: await openStore(await sqliteUrl(), { engine: 'prisma' }), drop: kept }));

if (servicesAvailable()) {
  storeContract('Prisma on PostgreSQL', async () => {
    const database = await freshPostgresDatabase();
    return { store: await openStore(database.url), drop: database.drop };
  });
}

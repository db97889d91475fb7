import path from 'node:path';
import { openStore } from '../src/server/store/open.ts';
import { contactStoreContract } from './contracts/contact-store.ts';
import { freshPostgresDatabase, servicesAvailable } from './helpers/database.ts';
import { tempDir } from './helpers/server.ts';

const sqliteUrl = async () => `file:${path.join(await tempDir(), 'hearth.db')}`;
const kept = async () => {};

contactStoreContract('SQLite (prepared statements)', async () => ({ store: await openStore(await sqliteUrl()), drop: kept }));
contactStoreContract('Prisma on SQLite', async () => ({ store: await openStore(await sqliteUrl(), { engine: 'prisma' }), drop: kept }));

if (servicesAvailable()) {
  contactStoreContract('Prisma on PostgreSQL', async () => {
    const database = await freshPostgresDatabase();
    return { store: await openStore(database.url), drop: database.drop };
  });
}

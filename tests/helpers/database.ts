import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';

/**
 * Which database the suite runs on: SQLite by default, PostgreSQL with HEARTH_TEST_DATABASE=postgres.
 * Tests that read or arrange database state directly use `services.store.prisma` (the Prisma
 * client under either store); the server's own code goes through the store's operations only.
 */
export const onPostgres = process.env.HEARTH_TEST_DATABASE === 'postgres';

const INSTALL = 'apt-get install -y postgresql redis-server, then eval "$(bash scripts/services.sh)"';

/** The admin URL of the test PostgreSQL server; fails clearly when it is missing. */
export function postgresAdminUrl(): string {
  const url = process.env.HEARTH_TEST_POSTGRES_URL;
  if (!url) throw new Error(`HEARTH_TEST_POSTGRES_URL is not set (${INSTALL})`);
  return url;
}

export function redisTestUrl(): string | undefined {
  return process.env.HEARTH_TEST_REDIS_URL;
}

/**
 * Whether tests needing PostgreSQL and Redis can run here. Under CI they must:
 * a missing service fails the run instead of skipping.
 */
export function servicesAvailable(): boolean {
  const available = Boolean(process.env.HEARTH_TEST_POSTGRES_URL && process.env.HEARTH_TEST_REDIS_URL);
  if (!available && process.env.CI === 'true') {
    throw new Error(`CI=true but PostgreSQL/Redis are not configured (${INSTALL})`);
  }
  if (!available) console.warn(`Skipping PostgreSQL/Redis tests: ${INSTALL}`);
  return available;
}

/** A fresh, empty PostgreSQL database; returns its URL and a function that drops it. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = postgresAdminUrl();
  const name = `hearth_test_${crypto.randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The DATABASE_URL for one test server: a temp SQLite file, or a fresh PostgreSQL database. */
export async function testDatabase(dir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (onPostgres) return freshPostgresDatabase();
  return { url: `file:${path.join(dir, 'hearth.db')}`, drop: async () => {} };
}

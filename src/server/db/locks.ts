import type { Prisma } from './generated/client.ts';

const ADMIN_SET_LOCK = 4242424243;

/**
 * Makes the transactions that decide who is an admin (role changes,
 * deactivation, the first registration) take turns. SQLite already runs one
 * transaction at a time (the write gate). PostgreSQL's READ COMMITTED lets two
 * of them read the same set of admins and both act on it: two admins demoting
 * each other at once would leave none, two first sign-ups would both become
 * admin. A transaction-scoped advisory lock, released at commit or rollback,
 * puts them in line.
 */
export async function serializeAdminChanges(tx: Prisma.TransactionClient, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${ADMIN_SET_LOCK})`);
}

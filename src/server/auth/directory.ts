import type { Db } from '../db/client.ts';
import { toPublicUser } from './users.ts';

/** Active users whose username or display name contains `query` (for DMs and invites). */
export async function searchUsers(db: Db, { query }: { query: string }) {
  const users = await db.user.findMany({
    where: {
      deactivatedAt: null,
      ...(query ? { OR: [{ username: { contains: query.toLowerCase() } }, { displayName: { contains: query } }] } : {}),
    },
    orderBy: { username: 'asc' },
    take: 20,
  });
  return users.map(toPublicUser);
}

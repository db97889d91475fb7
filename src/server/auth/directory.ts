import type { Store } from '../store/store.ts';
import { toPublicUser } from './users.ts';

/** Active users whose username or display name contains `query` (for DMs and invites). */
export async function searchUsers(deps: { store: Pick<Store, 'accounts'> }, { query }: { query: string }) {
  const users = await deps.store.accounts.search({ query, activeOnly: true, orderBy: 'username', limit: 20 });
  return users.map(toPublicUser);
}

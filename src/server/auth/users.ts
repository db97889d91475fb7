import type { User } from '../store/store.ts';

export type Role = 'admin' | 'member';

/** A user as the API shows it: never the password hash. */
export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  createdAt: string;
}

export const toPublicUser = (user: User): PublicUser => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  role: user.role === 'admin' ? 'admin' : 'member',
  createdAt: user.createdAt.toISOString(),
});

/** Usernames are unique case-insensitively: stored lower-case. */
export const normalizeUsername = (username: string) => username.trim().toLowerCase();

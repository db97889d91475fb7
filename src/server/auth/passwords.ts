import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~25 ms per hash here.
// algorithm 2 is Argon2id (a const enum in the typings, so spelled out here).
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Stored for an account with no password yet: no Argon2 hash looks like it, so nothing verifies against it. */
export const UNUSABLE_PASSWORD = '!';

export const hashPassword = (password: string) => hash(password, options);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash to verify against when the username is unknown, so that "no such user"
 * costs the same time as "wrong password" and the two cannot be told apart.
 */
let decoy: Promise<string> | undefined;
export const decoyHash = () => (decoy ??= hashPassword('hearth-decoy-password'));

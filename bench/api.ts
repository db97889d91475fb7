import crypto from 'node:crypto';
import type { Endpoint } from './wire.ts';

/**
 * Setting up a scenario: users and rooms. Hearth gets them through its real
 * API; the baseline has no users, so it gets placeholders of the same shape.
 */
export interface BenchUser {
  id: string;
  token?: string;
}

async function mutation<T>(url: string, path: string, input: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${url}/api/trpc/${path}`, { method: 'POST', headers, body: JSON.stringify(input), signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { result: { data: T } }).result.data;
}

async function inBatches<T>(count: number, concurrency: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await make(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}

/**
 * `count` users; each may hold many connections. Registration hashes a password
 * (Argon2, ~25 ms of CPU), so the pool stays small.
 */
export async function createUsers(endpoint: Endpoint, count: number): Promise<BenchUser[]> {
  if (endpoint.target === 'baseline') return Array.from({ length: count }, () => ({ id: crypto.randomUUID() }));
  return inBatches(count, 4, async (i) => {
    const { token, user } = await mutation<{ token: string; user: { id: string } }>(endpoint.url, 'auth.register', {
      username: `bench${i}`,
      password: 'bench-password',
      setupToken: 'bench-setup-token-0123456789',
    });
    return { id: user.id, token };
  });
}

/** A room created by `owner` with `members` in it (added 100 at a time, the API's limit). */
export async function createRoom(endpoint: Endpoint, owner: BenchUser, members: BenchUser[], name: string): Promise<string> {
  if (endpoint.target === 'baseline') return crypto.randomUUID();
  const others = members.filter((m) => m.id !== owner.id).map((m) => m.id);
  const room = await mutation<{ id: string }>(endpoint.url, 'rooms.create', { name, kind: 'open', memberIds: others.slice(0, 100) }, owner.token);
  for (let i = 100; i < others.length; i += 100) {
    await mutation(endpoint.url, 'rooms.addMembers', { roomId: room.id, userIds: others.slice(i, i + 100) }, owner.token);
  }
  return room.id;
}

export async function createRooms(endpoint: Endpoint, specs: { owner: BenchUser; members: BenchUser[]; name: string }[]): Promise<string[]> {
  return inBatches(specs.length, 4, (i) => createRoom(endpoint, specs[i]!.owner, specs[i]!.members, specs[i]!.name));
}

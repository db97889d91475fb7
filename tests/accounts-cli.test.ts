import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/server/store/open.ts';
import { ROOT } from './helpers/process.ts';
import { startServer, tempDir } from './helpers/server.ts';

/** `npm run admin -- …` as an operator runs it: the script in a child process, on a temporary SQLite file. */
function admin(databaseUrl: string, args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PUBLIC_URL: 'https://chat.example.com' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin ?? '');
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run admin', () => {
  it('creates an admin offline, promotes, lists admins and prints reset links; usage errors exit 2, refusals 1', { timeout: 60_000 }, async () => {
    const url = `file:${path.join(await tempDir(), 'hearth.db')}`;
    expect(await admin(url, [])).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run admin -- <command>') });
    expect(await admin(url, ['frobnicate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "frobnicate"') });
    expect(await admin(url, ['promote'])).toMatchObject({ code: 2, stderr: expect.stringContaining('promote needs a username') });
    expect(await admin(url, ['list-admins'])).toMatchObject({ code: 0, stdout: expect.stringContaining('No active admins') });

    const created = await admin(url, ['create-admin', 'Root', '--display-name', 'The Root', '--password-stdin'], 'a long root password\n');
    expect(created).toMatchObject({ code: 0, stdout: 'Created admin @root.\n' });
    expect(await admin(url, ['create-admin', 'root', '--password-stdin'], 'another password')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('taken'),
    });
    expect(await admin(url, ['create-admin', 'x y', '--password-stdin'], 'a long password')).toMatchObject({ code: 1 });
    expect(await admin(url, ['create-admin', 'short', '--password-stdin'], 'tiny')).toMatchObject({ code: 1, stderr: expect.stringContaining('at least 8') });

    // No terminal and no --password-stdin: a set-password link instead.
    const linked = await admin(url, ['create-admin', 'ops']);
    expect(linked.code).toBe(0);
    expect(linked.stdout).toMatch(/Set its password with this one-time link .*\nhttps:\/\/chat\.example\.com\/#reset=[A-Za-z0-9_-]{43}\n$/);

    const store = await openStore(url);
    try {
      await store.accounts.inAdminLine((line) =>
        line.createUser({ id: crypto.randomUUID(), username: 'bob', displayName: 'Bob', passwordHash: 'x', role: 'member' }),
      );
    } finally {
      await store.close();
    }
    expect(await admin(url, ['promote', 'nobody'])).toMatchObject({ code: 1, stderr: 'No user "nobody"\n' });
    expect(await admin(url, ['promote', 'BOB'])).toMatchObject({ code: 0, stdout: '@bob is an admin.\n' });
    const listed = await admin(url, ['list-admins']);
    expect(
      listed.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t').slice(0, 2)),
    ).toEqual([
      ['@bob', 'Bob'],
      ['@ops', 'ops'],
      ['@root', 'The Root'],
    ]);
    const reset = await admin(url, ['reset-link', 'root']);
    expect(reset).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Password-reset link for @root .*\nhttps:\/\/chat\.example\.com\/#reset=[A-Za-z0-9_-]{43}\n$/),
    });
    expect(await admin(url, ['reset-link', 'nobody'])).toMatchObject({ code: 1 });

    // The link works on the server over the same database; the password from stdin logs in.
    const hearth = await startServer({ env: { DATABASE_URL: url } });
    const anonymous = hearth.client().trpc;
    await expect(anonymous.auth.login.mutate({ username: 'root', password: 'a long root password' })).resolves.toMatchObject({ user: { role: 'admin' } });
    const token = reset.stdout.trim().split('#reset=')[1]!;
    await expect(anonymous.auth.usePasswordLink.mutate({ token, password: 'a new root password' })).resolves.toMatchObject({ user: { username: 'root' } });
  });
});

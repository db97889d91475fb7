import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordOutput } from './log-secrets.ts';

export const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * The suites sign in and connect many times from 127.0.0.1: the per-address
 * and per-user limits are raised for spawned servers too (the limits' own
 * tests run in-process, with the shipped defaults).
 */
export const TEST_LIMITS = {
  WS_CONNECTS_PER_MINUTE_PER_IP: '1000000',
  MAX_CONNECTIONS_PER_IP: '1000000',
  MAX_CONNECTIONS_PER_USER: '100000',
  MESSAGES_PER_MINUTE: '1000000',
  MESSAGE_BURST: '1000000',
  LOGIN_ATTEMPTS_PER_MINUTE_PER_IP: '1000000',
  REGISTRATIONS_PER_HOUR_PER_IP: '1000000',
  ROOM_CHANGES_PER_MINUTE: '1000000',
  EDITS_PER_MINUTE: '1000000',
  RECEIPTS_PER_MINUTE: '1000000',
  ADMIN_ACTIONS_PER_MINUTE: '1000000',
  CONTACT_REQUESTS_PER_MINUTE: '1000000',
  REACTIONS_PER_MINUTE: '1000000',
} as const;

/**
 * Test servers take sign-ups from anyone (most tests register people freely)
 * and know their setup token: the helpers' register passes it, so the first
 * account is the admin as before, and later ones are members (a spent setup
 * token opens nothing more than REGISTRATION=open does). Tests of the other
 * modes and of the setup link set their own.
 */
export const TEST_SETUP_TOKEN = 'hearth-test-setup-token-0123456789';
export const TEST_ACCOUNTS = { REGISTRATION: 'open', SETUP_TOKEN: TEST_SETUP_TOKEN } as const;

export interface HearthProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code (null if killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * Runs Hearth as `npm start` does (`node --import tsx src/server/main.ts` in the
 * project directory) and waits for its "listening" log line.
 */
export function spawnHearth(env: Record<string, string>, timeoutMs = 200_000): Promise<HearthProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    // No default room unless a test asks (DEFAULT_ROOM), so rooms and members counted are the test's own.
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', NEXT_TELEMETRY_DISABLED: '1', DEFAULT_ROOM: '', ...TEST_LIMITS, ...TEST_ACCOUNTS, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  recordOutput(() => output);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Hearth did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Hearth exited with ${code} before listening:\n${output}`));
    });
  });
}

/** Runs Hearth until it exits by itself (e.g. on a bad configuration). */
export function runHearthToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

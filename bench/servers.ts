import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { track } from './procs.ts';
import type { Endpoint, Target } from './wire.ts';

export const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const BENCH = path.join(ROOT, 'bench');

/**
 * Settings passed to every Hearth the bench starts, on top of its defaults:
 * the abuse limits, raised so they do not refuse the bench's load (all of it
 * from a few loopback addresses, a few users holding many sockets, senders far
 * above a human's rate). Everything else stays at its default. A Hearth that
 * does not know a name ignores it. Add new limits here (and to
 * bench/README.md); `npm run bench -- --env NAME=value` adds more for one run.
 */
export const HEARTH_LIMITS: Record<string, string> = {
  MESSAGES_PER_MINUTE: '1000000',
  MESSAGE_BURST: '1000000',
  LOGIN_ATTEMPTS_PER_MINUTE_PER_IP: '1000000',
  REGISTRATIONS_PER_HOUR_PER_IP: '1000000',
  ROOM_CHANGES_PER_MINUTE: '1000000',
  RECEIPTS_PER_MINUTE: '1000000',
  WS_CONNECTS_PER_MINUTE_PER_IP: '1000000',
  MAX_CONNECTIONS_PER_USER: '1000000',
  MAX_CONNECTIONS_PER_IP: '1000000',
  MAX_CONNECTIONS: '100000',
  // Bench users register freely; the first claims the fresh server with this setup token.
  REGISTRATION: 'open',
  SETUP_TOKEN: 'bench-setup-token-0123456789',
};

/** Hearth in its default configuration, API only, on a fresh database; `extra` wins. */
export function hearthEnv(dbFile: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    SERVE_WEB: 'false',
    DATABASE_URL: `file:${dbFile}`,
    LOG_LEVEL: 'info',
    NEXT_TELEMETRY_DISABLED: '1',
    ...HEARTH_LIMITS,
    ...extra,
  };
}

export interface Probe {
  /** From /proc/<pid>/status (0 if unreadable). */
  rss: number;
  heapUsed: number;
  external: number;
  cpuUs: number;
}

export interface ServerHandle {
  target: Target;
  pid: number;
  endpoint: Endpoint;
  /** Memory and CPU from inside the server (heap-reporter.cjs); gc first if asked. */
  probe(opts?: { gc?: boolean }): Promise<Probe>;
  alive(): boolean;
  /** Its open file descriptors (sockets included), from /proc; null if unreadable. */
  openFiles(): number | null;
  /** Error-level log lines, stderr, and an unexpected exit. */
  errors(): string[];
  /** SIGTERM (graceful: Hearth closes its database) or SIGKILL; resolves once it exited. */
  stop(opts?: { graceful?: boolean }): Promise<void>;
}

/**
 * Starts a server under test the way `npm start` does (node --import tsx, cwd
 * the project), plus the probe preload and --expose-gc, and waits for the log
 * line that carries its URL.
 */
/** `--profile DIR`: Hearth runs under --cpu-prof into DIR and is stopped gracefully so the profile is written. */
export const profiling = { dir: null as string | null };

export function startServer(target: Target, env: Record<string, string>, timeoutMs = 60_000): Promise<ServerHandle> {
  const script = target === 'hearth' ? 'src/server/main.ts' : 'bench/baseline-server.ts';
  const profile = target === 'hearth' && profiling.dir ? ['--cpu-prof', '--cpu-prof-dir', profiling.dir] : [];
  const args = [...profile, '--expose-gc', '--require', path.join(BENCH, 'heap-reporter.cjs'), '--import', 'tsx', script];
  const child = track(
    spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env, ...(profile.length ? { BENCH_HEAP_SNAPSHOT_DIR: profiling.dir! } : {}) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    }),
  );
  const errors: string[] = [];
  let exited = false;
  let stopping = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      if (!stopping) errors.push(`${target} exited unexpectedly (code ${code}, signal ${signal})`);
      resolve();
    }),
  );
  const note = (line: string) => {
    if (errors.length < 30) errors.push(line.slice(0, 400));
  };

  let pending = new Map<number, (p: Omit<Probe, 'rss'> & { error?: string }) => void>();
  let nextId = 1;
  child.on('message', (msg: { type?: string; id?: number; error?: string } & Omit<Probe, 'rss'>) => {
    if (msg?.type !== 'bench:probe' || msg.id === undefined) return;
    pending.get(msg.id)?.(msg);
    pending.delete(msg.id);
  });

  return new Promise((resolve, reject) => {
    let buffered = '';
    let url: string | null = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${target} did not start in ${timeoutMs} ms: ${errors.join(' | ')}`));
    }, timeoutMs);
    // Both pipes are read to the end: an unread pipe would block the server.
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (/"level":(50|60)/.test(line)) note(line);
        const match = url ? null : /"url":"(http:\/\/[^"]+)"/.exec(line);
        if (match) {
          url = match[1]!;
          clearTimeout(timer);
          resolve(handle(url));
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => note(`stderr: ${chunk.toString().trim()}`));
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`${target} exited before listening: ${errors.join(' | ')}`));
    });
  });

  function handle(url: string): ServerHandle {
    return {
      target,
      pid: child.pid!,
      endpoint: { target, url },
      probe({ gc = false } = {}) {
        return new Promise((resolve, reject) => {
          if (exited) return reject(new Error(`${target} is not running`));
          const id = nextId++;
          const timer = setTimeout(() => {
            pending.delete(id);
            reject(new Error(`${target} did not answer a probe`));
          }, 30_000);
          pending.set(id, (p) => {
            clearTimeout(timer);
            if (p.error) return reject(new Error(`${target} probe failed: ${p.error}`));
            resolve({ heapUsed: p.heapUsed, external: p.external, cpuUs: p.cpuUs, rss: procRss(child.pid!) ?? 0 });
          });
          child.send({ type: 'bench:probe', id, gc });
        });
      },
      alive: () => !exited,
      openFiles: () => {
        try {
          return fs.readdirSync(`/proc/${child.pid}/fd`).length;
        } catch {
          return null;
        }
      },
      errors: () => [...errors],
      async stop({ graceful = profile.length > 0 } = {}) {
        if (exited) return;
        stopping = true;
        pending = new Map();
        child.kill(graceful ? 'SIGTERM' : 'SIGKILL');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exit;
        clearTimeout(timer);
      },
    };
  }
}

/** VmRSS from /proc, in bytes (what the kernel charges the process). */
export function procRss(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

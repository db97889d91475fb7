import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { track } from './procs.ts';
import type { Endpoint, Target } from './wire.ts';

export const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const BENCH = path.join(ROOT, 'bench');

/**
 * Settings passed to every Hearth the bench starts, on top of its defaults.
 * When Hearth grows limits that would refuse the bench's load (connection
 * caps, rate limits), raise them here, and say so in bench/README.md;
 * `npm run bench -- --env NAME=value` adds more for one run.
 */
export const HEARTH_LIMITS: Record<string, string> = {};

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
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  cpuUs: number;
}

export interface ServerHandle {
  target: Target;
  pid: number;
  endpoint: Endpoint;
  /** Memory and CPU from inside the server (heap-reporter.cjs); gc first if asked. */
  probe(opts?: { gc?: boolean }): Promise<Probe>;
  alive(): boolean;
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
export function startServer(target: Target, env: Record<string, string>, timeoutMs = 60_000): Promise<ServerHandle> {
  const script = target === 'hearth' ? 'src/server/main.ts' : 'bench/baseline-server.ts';
  const args = ['--expose-gc', '--require', path.join(BENCH, 'heap-reporter.cjs'), '--import', 'tsx', script];
  const child = track(
    spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
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

  let pending = new Map<number, (p: Probe) => void>();
  let nextId = 1;
  child.on('message', (msg: { type?: string; id?: number } & Probe) => {
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
            resolve({ ...p, rss: procRss(child.pid!) ?? p.rss });
          });
          child.send({ type: 'bench:probe', id, gc });
        });
      },
      alive: () => !exited,
      errors: () => [...errors],
      async stop({ graceful = false } = {}) {
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

import fs from 'node:fs';
import path from 'node:path';
import { cpuMark, otherProcessesCores } from '../cpu.ts';
import { startLoadGens, type LoadGen } from '../loadgens.ts';
import type { Plan } from '../plan.ts';
import type { OpenResult } from '../receivers.ts';
import { hearthEnv, startServer, type ServerHandle } from '../servers.ts';
import type { Endpoint, Subscription, Target } from '../wire.ts';

export interface Ctx {
  plan: Plan;
  /** Scratch space for databases (bench/tmp/<run>), removed at the end. */
  tmp: string;
  /** Extra Hearth settings from --env. */
  hearthEnv: Record<string, string>;
  targets: Target[];
  log(line: string): void;
}

/** What every per-server result carries: what went wrong, in words. */
export interface Outcome {
  errors: string[];
  /** CPU other processes took while this server was measured (cores, average); see cpu.ts. */
  otherProcessesCores?: number | null;
}

/** One server under test and the load generators driving it. */
export class Session {
  private readonly gens: LoadGen[];
  private claimed = 0;

  constructor(
    readonly server: ServerHandle,
    readonly dir: string,
    prestarted: LoadGen[],
  ) {
    this.gens = [...prestarted];
  }

  get endpoint(): Endpoint {
    return this.server.endpoint;
  }

  /** `count` load generators: those started with the server first, then new ones. */
  async loadgens(count: number): Promise<LoadGen[]> {
    const ready = this.gens.slice(this.claimed, this.claimed + count);
    const more = await startLoadGens(count - ready.length, this.gens.length);
    this.gens.push(...more);
    this.claimed += count;
    return [...ready, ...more];
  }

  /** Receivers' drops and errors, summed over load generators, as lines for `errors`. */
  async receiverErrors(gens: LoadGen[]): Promise<string[]> {
    const lines: string[] = [];
    for (const gen of gens) {
      const s = await gen.call<{ dropped: number; closeCodes: Record<string, number>; errors: Record<string, number> }>('status').catch(() => null);
      if (!s) continue;
      for (const [kind, n] of Object.entries(s.errors)) lines.push(`loadgen ${gen.index}: ${kind} x${n}`);
      for (const [code, n] of Object.entries(s.closeCodes)) lines.push(`loadgen ${gen.index}: ${n} subscribed sockets closed by the server (code ${code})`);
    }
    return lines;
  }

  /** The server dies first, so TIME_WAIT lands on its side and client ports are free at once. */
  async close(): Promise<void> {
    await this.server.stop();
    for (const gen of this.gens) gen.stop();
  }
}

/**
 * Runs `body` against a fresh server of `target` (Hearth on a new database).
 * `result` is filled in as the scenario goes, so a failure half way keeps the
 * figures measured so far and adds the error and the server's own errors.
 */
export async function withSession<T extends Outcome>(
  ctx: Ctx,
  target: Target,
  result: T,
  body: (session: Session, result: T) => Promise<void>,
  opts: { env?: Record<string, string>; dir?: string; loadgens?: number } = {},
): Promise<T> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(ctx.tmp, `${target}-`));
  let session: Session | undefined;
  // Started alongside the server: forking them costs about as much as the server's start.
  const gens = startLoadGens(opts.loadgens ?? 0);
  const mark = cpuMark();
  try {
    const env = target === 'hearth' ? hearthEnv(path.join(dir, 'hearth.db'), { ...ctx.hearthEnv, ...opts.env }) : {};
    const [server, prestarted] = await Promise.all([startServer(target, env), gens]);
    session = new Session(server, dir, prestarted);
    await body(session, result);
  } catch (error) {
    result.errors.push(error instanceof Error ? error.message : String(error));
  } finally {
    if (session) {
      result.errors.push(...session.server.errors());
      await session.close();
    } else {
      for (const gen of await gens.catch(() => [])) gen.stop();
    }
    const other = otherProcessesCores(mark);
    if (other !== null) result.otherProcessesCores = Math.max(result.otherProcessesCores ?? 0, other);
  }
  return result;
}

/** Spreads subscriptions over the load generators and opens them all. */
export async function openSubscriptions(
  gens: LoadGen[],
  endpoint: Endpoint,
  subs: Subscription[],
  opts: { concurrency?: number; timeoutMs?: number } = {},
): Promise<OpenResult> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const parts = gens.map((_, k) => subs.filter((_, i) => i % gens.length === k));
  const results = await Promise.all(
    gens.map((gen, k) =>
      gen.call<OpenResult>('open', { endpoint, subs: parts[k], concurrency: opts.concurrency ?? 32, timeoutMs, handshakeMs: 20_000 }, timeoutMs + 30_000),
    ),
  );
  return results.reduce((a, r) => ({ requested: a.requested + r.requested, ready: a.ready + r.ready, failed: a.failed + r.failed, ms: Math.max(a.ms, r.ms) }), {
    requested: 0,
    ready: 0,
    failed: 0,
    ms: 0,
  });
}

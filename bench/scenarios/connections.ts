import { sleep } from '../clock.ts';
import { createRooms, createUsers } from '../api.ts';
import type { LoadGen } from '../loadgens.ts';
import type { Probe } from '../servers.ts';
import { openSubscriptions, withSession, type Ctx, type Outcome } from './session.ts';

export interface MemoryStep {
  /** Connections asked for in total. */
  target: number;
  /** Authenticated, subscribed and open when measured. */
  held: number;
  failed: number;
  openMs: number;
  rssBytes: number;
  heapBytes: number;
  rssPerConnKB: number | null;
  heapPerConnKB: number | null;
  /** The server's open files: its limit here is 20,000, sockets included. */
  serverOpenFiles: number | null;
}

export interface ConnectionsResult extends Outcome {
  /** Subscribed sockets still open after the hold at the largest step. */
  held: number | null;
  /** At the largest step: (memory there - memory before the first socket) / sockets held. */
  rssPerConnKB: number | null;
  heapPerConnKB: number | null;
  /** Between the first and the last step: the cost of one more socket, without one-time growth. */
  rssMarginalKB: number | null;
  heapMarginalKB: number | null;
  base: { rssBytes: number; heapBytes: number } | null;
  holdMs: number;
  /** Subscribed sockets the server closed during the scenario. */
  dropped: number;
  steps: MemoryStep[];
}

const kb = (bytes: number, n: number) => (n > 0 ? Math.round((bytes / n / 1024) * 10) / 10 : null);

/**
 * 3. Idle connections: open `steps` authenticated, subscribed sockets (one
 * user's own room per socket, so presence stays quiet), then compare the
 * server's memory (after a forced GC) with its memory before the first one.
 * Client sockets are spread over several load generators: a process may hold
 * at most 20,000 files here, and so may the server itself.
 */
export async function connections(ctx: Ctx) {
  const plan = ctx.plan.connections;
  const out = {
    steps: plan.steps,
    hearth: null as ConnectionsResult | null,
    baseline: null as ConnectionsResult | null,
    ratio: null as number | null,
    heapRatio: null as number | null,
  };
  for (const target of ctx.targets) {
    ctx.log(`connections, ${target}: ${plan.steps.join(', ')} idle subscribed sockets`);
    const empty: ConnectionsResult = {
      held: null,
      rssPerConnKB: null,
      heapPerConnKB: null,
      rssMarginalKB: null,
      heapMarginalKB: null,
      base: null,
      holdMs: plan.holdMs[target],
      dropped: 0,
      steps: [],
      errors: [],
    };
    out[target] = await withSession(
      ctx,
      target,
      empty,
      async (session, result) => {
        const [gens, users] = await Promise.all([session.loadgens(plan.loadgens), createUsers(session.endpoint, plan.users)]);
        const roomIds = await createRooms(
          session.endpoint,
          users.map((u, i) => ({ owner: u, members: [u], name: `own-${i}` })),
        );
        await sleep(plan.settleMs);
        const base = await session.server.probe({ gc: true });
        result.base = { rssBytes: base.rss, heapBytes: base.heapUsed };
        let opened = 0;
        for (const total of plan.steps) {
          const subs = Array.from({ length: total - opened }, (_, k) => {
            const i = opened + k;
            return { roomId: roomIds[i % users.length]!, token: users[i % users.length]!.token };
          });
          const open = await openSubscriptions(gens, session.endpoint, subs, { concurrency: plan.concurrency, timeoutMs: 240_000 });
          opened = total;
          await sleep(plan.settleMs);
          const step = measure(total, open.failed, open.ms, base, await session.server.probe({ gc: true }), await held(gens), session.server.openFiles());
          result.steps.push(step);
          ctx.log(
            `    ${step.held}/${total} held (opened in ${open.ms} ms, server has ${step.serverOpenFiles} files open): ` +
              `${step.rssPerConnKB} KB RSS, ${step.heapPerConnKB} KB heap per connection`,
          );
        }
        await sleep(result.holdMs);
        const statuses = await Promise.all(gens.map((g) => g.call<{ ready: number; dropped: number }>('status')));
        result.held = statuses.reduce((a, s) => a + s.ready, 0);
        result.dropped = statuses.reduce((a, s) => a + s.dropped, 0);
        const first = result.steps[0];
        const last = result.steps.at(-1);
        if (last) Object.assign(result, { rssPerConnKB: last.rssPerConnKB, heapPerConnKB: last.heapPerConnKB });
        if (first && last && last.held > first.held) {
          result.rssMarginalKB = kb(last.rssBytes - first.rssBytes, last.held - first.held);
          result.heapMarginalKB = kb(last.heapBytes - first.heapBytes, last.held - first.held);
        }
        ctx.log(`    after ${result.holdMs / 1000} s: ${result.held} held, ${result.dropped} dropped`);
        for (const step of result.steps) {
          if (step.held < 0.9 * step.target)
            result.errors.push(`only ${step.held} of ${step.target} sockets held: per-connection figures there are not comparable`);
        }
        result.errors.push(...(await session.receiverErrors(gens)));
      },
      { loadgens: plan.loadgens },
    );
  }
  const div = (a: number | null | undefined, b: number | null | undefined) => (a && b ? Math.round((a / b) * 100) / 100 : null);
  // A ratio only means something if both servers held (nearly) all the sockets asked for.
  const top = Math.max(...plan.steps);
  const full = (r: ConnectionsResult | null) => (r?.steps.at(-1)?.held ?? 0) >= 0.9 * top;
  if (full(out.hearth) && full(out.baseline)) {
    out.ratio = div(out.hearth?.rssPerConnKB, out.baseline?.rssPerConnKB);
    out.heapRatio = div(out.hearth?.heapPerConnKB, out.baseline?.heapPerConnKB);
  }
  return out;
}

async function held(gens: LoadGen[]): Promise<number> {
  const statuses = await Promise.all(gens.map((g) => g.call<{ ready: number }>('status')));
  return statuses.reduce((a, s) => a + s.ready, 0);
}

function measure(target: number, failed: number, openMs: number, base: Probe, now: Probe, held: number, serverOpenFiles: number | null): MemoryStep {
  return {
    serverOpenFiles,
    target,
    held,
    failed,
    openMs,
    rssBytes: now.rss,
    heapBytes: now.heapUsed,
    rssPerConnKB: kb(now.rss - base.rss, held),
    heapPerConnKB: kb(now.heapUsed - base.heapUsed, held),
  };
}

import { createRooms, createUsers } from '../api.ts';
import { Histogram } from '../hist.ts';
import type { LoadGen } from '../loadgens.ts';
import type { SendResult } from '../sender.ts';
import type { Endpoint } from '../wire.ts';
import { withSession, type Ctx, type Outcome } from './session.ts';

export interface PersistenceResult extends Outcome {
  ackedPerSec: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** The server's CPU time per acknowledged send: steadier than sends/s on a shared machine. */
  serverCpuUsPerAck: number | null;
  acked: number;
  failed: number;
}

/**
 * 4. Persistence: `senders` concurrent senders, each in a room of its own, each sending
 * its next message as soon as the last one is acknowledged. Hearth acks after
 * the SQLite commit; the baseline acks without storing anything (the ceiling
 * of the HTTP round trip itself).
 */
export async function persistence(ctx: Ctx) {
  const plan = ctx.plan.persistence;
  const out = {
    senders: plan.senders,
    users: plan.users,
    durationMs: plan.durationMs,
    hearth: null as PersistenceResult | null,
    baseline: null as PersistenceResult | null,
    ratio: null as number | null,
  };
  for (const target of ctx.targets) {
    ctx.log(`persistence, ${target}: ${plan.senders} concurrent senders for ${plan.durationMs / 1000} s`);
    const empty: PersistenceResult = {
      ackedPerSec: null,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
      maxMs: null,
      serverCpuUsPerAck: null,
      acked: 0,
      failed: 0,
      errors: [],
    };
    out[target] = await withSession(
      ctx,
      target,
      empty,
      async (session, result) => {
        const [gens, users] = await Promise.all([session.loadgens(plan.loadgens), createUsers(session.endpoint, plan.users)]);
        const owners = Array.from({ length: plan.senders }, (_, i) => users[i % users.length]!);
        const roomIds = await createRooms(
          session.endpoint,
          owners.map((u, i) => ({ owner: u, members: [u], name: `sender-${i}` })),
        );
        const senders = owners.map((u, i) => ({ roomId: roomIds[i]!, token: u.token }));
        await blast(gens, session.endpoint, senders, plan.warmupMs, plan.bodyBytes, 1);
        const cpuBefore = (await session.server.probe()).cpuUs;
        const sends = await blast(gens, session.endpoint, senders, plan.durationMs, plan.bodyBytes, 2);
        const cpuUs = (await session.server.probe()).cpuUs - cpuBefore;
        const hist = Histogram.merge(sends.map((s) => s.ack));
        const first = Math.min(...sends.map((s) => s.firstSendUs));
        const last = Math.max(...sends.map((s) => s.lastAckUs));
        const lat = hist.summary();
        Object.assign(result, {
          ackedPerSec: Math.round(hist.count / ((last - first) / 1e6)),
          p50Ms: lat.p50Ms,
          p95Ms: lat.p95Ms,
          p99Ms: lat.p99Ms,
          maxMs: lat.maxMs,
          serverCpuUsPerAck: hist.count > 0 ? Math.round((cpuUs / hist.count) * 10) / 10 : null,
          acked: hist.count,
          failed: sends.reduce((a, s) => a + s.failed, 0),
        });
        for (const s of sends) for (const [kind, n] of Object.entries(s.errors)) result.errors.push(`send failed x${n}: ${kind}`);
        ctx.log(
          `    ${result.ackedPerSec} acked/s, ack p50 ${lat.p50Ms} p99 ${lat.p99Ms} ms, server ${result.serverCpuUsPerAck} µs CPU per ack, ${result.failed} failed`,
        );
      },
      { loadgens: plan.loadgens },
    );
  }
  if (out.hearth?.ackedPerSec && out.baseline?.ackedPerSec) out.ratio = Math.round((out.hearth.ackedPerSec / out.baseline.ackedPerSec) * 1000) / 1000;
  return out;
}

/** Every sender sends closed-loop for `durationMs`, split over the load generators. */
function blast(gens: LoadGen[], endpoint: Endpoint, senders: { roomId: string; token?: string }[], durationMs: number, bodyBytes: number, step: number) {
  return Promise.all(
    gens.map((gen, k) => {
      const mine = senders.filter((_, i) => i % gens.length === k);
      return gen.call<SendResult>(
        'send',
        { endpoint, senders: mine, pick: 'slot', count: 10_000_000, durationMs, concurrency: mine.length, step, bodyBytes, requestTimeoutMs: 30_000 },
        durationMs + 60_000,
      );
    }),
  );
}

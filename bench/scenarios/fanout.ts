import { createRoom, createUsers } from '../api.ts';
import { emptyRamp, runRamp, type RampResult } from './ramp.ts';
import { openSubscriptions, withSession, type Ctx } from './session.ts';

export interface RampScenario {
  hearth: RampResult | null;
  baseline: RampResult | null;
  /** Hearth / baseline saturated deliveries per second. */
  ratio: number | null;
  /** Hearth / baseline p99 at the reference rate. */
  p99Ratio: number | null;
  /** Hearth / baseline server CPU per delivery, saturated (above 1: Hearth needs more). */
  cpuRatio: number | null;
}

export function ratios(s: Pick<RampScenario, 'hearth' | 'baseline'>) {
  const div = (a: number | null | undefined, b: number | null | undefined) => (a && b ? Math.round((a / b) * 1000) / 1000 : null);
  return {
    ratio: div(s.hearth?.deliveriesPerSec, s.baseline?.deliveriesPerSec),
    p99Ratio: div(s.hearth?.p99Ms, s.baseline?.p99Ms),
    cpuRatio: div(s.hearth?.serverCpuUsPerDelivery, s.baseline?.serverCpuUsPerDelivery),
  };
}

/**
 * 1. Fan-out: one room, `subscribers` sockets (spread over a pool of users, one
 * user holding many sockets), one sender posting ~200-byte messages.
 */
export async function fanout(ctx: Ctx): Promise<RampScenario & { subscribers: number }> {
  const { subscribers, users: userCount, receivers, ramp } = ctx.plan.fanout;
  const out: RampScenario & { subscribers: number } = { subscribers, hearth: null, baseline: null, ratio: null, p99Ratio: null, cpuRatio: null };
  for (const target of ctx.targets) {
    ctx.log(`fan-out, ${target}: ${subscribers} subscribers in one room`);
    out[target] = await withSession(
      ctx,
      target,
      emptyRamp(ramp),
      async (session, result) => {
        const [gens, users] = await Promise.all([session.loadgens(receivers + 1), createUsers(session.endpoint, userCount)]);
        const owner = users[0]!;
        const roomId = await createRoom(session.endpoint, owner, users, 'fan-out');
        const subs = Array.from({ length: subscribers }, (_, i) => ({ roomId, token: users[i % users.length]!.token }));
        const rx = gens.slice(0, receivers);
        result.connections = await openSubscriptions(rx, session.endpoint, subs);
        ctx.log(`    ${result.connections.ready}/${subscribers} subscribed in ${result.connections.ms} ms`);
        if (result.connections.failed > 0) throw new Error(`${result.connections.failed} of ${subscribers} subscriptions failed`);
        await runRamp(
          {
            session,
            receivers: rx,
            sender: gens[receivers]!,
            senders: [{ roomId, token: owner.token }],
            pick: 'cycle',
            fanout: subscribers,
            plan: ramp,
            log: ctx.log,
          },
          result,
        );
        result.errors.push(...(await session.receiverErrors(rx)));
      },
      { loadgens: receivers + 1 },
    );
  }
  return Object.assign(out, ratios(out));
}

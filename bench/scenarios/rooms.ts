import { createRooms, createUsers } from '../api.ts';
import { emptyRamp, runRamp } from './ramp.ts';
import { ratios, type RampScenario } from './fanout.ts';
import { openSubscriptions, withSession, type Ctx } from './session.ts';

/**
 * 2. Many rooms: `rooms` rooms of `perRoom` members, one socket per member per
 * room; each message goes from a random member to a random room.
 */
export async function rooms(ctx: Ctx): Promise<RampScenario & { rooms: number; perRoom: number; connections: number }> {
  const { rooms: roomCount, perRoom, users: userCount, receivers, ramp } = ctx.plan.rooms;
  const out = {
    rooms: roomCount,
    perRoom,
    connections: roomCount * perRoom,
    hearth: null,
    baseline: null,
    ratio: null,
    p99Ratio: null,
    cpuRatio: null,
  } as RampScenario & {
    rooms: number;
    perRoom: number;
    connections: number;
  };
  for (const target of ctx.targets) {
    ctx.log(`many rooms, ${target}: ${roomCount} rooms of ${perRoom}`);
    out[target] = await withSession(
      ctx,
      target,
      emptyRamp(ramp),
      async (session, result) => {
        const [gens, users] = await Promise.all([session.loadgens(receivers + 1), createUsers(session.endpoint, userCount)]);
        // Room r's members are users r*perRoom … r*perRoom+perRoom-1 (mod the pool): each user sits in a few rooms.
        const members = (r: number) => Array.from({ length: perRoom }, (_, j) => users[(r * perRoom + j) % users.length]!);
        const roomIds = await createRooms(
          session.endpoint,
          Array.from({ length: roomCount }, (_, r) => ({ owner: members(r)[0]!, members: members(r), name: `room-${r}` })),
        );
        const seats = roomIds.flatMap((roomId, r) => members(r).map((u) => ({ roomId, token: u.token })));
        const rx = gens.slice(0, receivers);
        result.connections = await openSubscriptions(rx, session.endpoint, seats);
        ctx.log(`    ${result.connections.ready}/${seats.length} subscribed in ${result.connections.ms} ms`);
        if (result.connections.failed > 0) throw new Error(`${result.connections.failed} subscriptions failed`);
        await runRamp({ session, receivers: rx, sender: gens[receivers]!, senders: seats, pick: 'random', fanout: perRoom, plan: ramp, log: ctx.log }, result);
        result.errors.push(...(await session.receiverErrors(rx)));
      },
      { loadgens: receivers + 1 },
    );
  }
  return Object.assign(out, ratios(out));
}

import { createRoom, createUsers } from '../api.ts';
import type { RecoverResult } from '../recovery-client.ts';
import type { SendResult } from '../sender.ts';
import { withSession, type Ctx, type Outcome } from './session.ts';

export interface RecoveryResult extends Outcome {
  events: number;
  /** Median, Hearth restarted with REPLAY_LIMIT above the gap: the stream replays it. */
  replayMs: number | null;
  replayEventsPerSec: number | null;
  /** Median, default configuration: the gap exceeds REPLAY_LIMIT, so `reset` and paging messages.history. */
  resetAndHistoryMs: number | null;
  replayLimitForReplay: number;
  runs: RecoverResult[];
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]! : null);

/**
 * 5. Recovery: a client saw event L0 and went away; `events` messages follow;
 * it reconnects with lastEventId L0. Measured twice on the same database:
 * Hearth as configured by default (the gap exceeds REPLAY_LIMIT=1000, so the
 * client gets `reset` and pages history) and Hearth restarted with
 * REPLAY_LIMIT raised above the gap (the stream itself replays every event).
 * The baseline keeps no history, so it has nothing to compare.
 */
export async function recovery(ctx: Ctx) {
  const { events, runs } = ctx.plan.recovery;
  const replayLimit = events + 1000;
  const empty: RecoveryResult = {
    events,
    replayMs: null,
    replayEventsPerSec: null,
    resetAndHistoryMs: null,
    replayLimitForReplay: replayLimit,
    runs: [],
    errors: [],
  };
  const note = 'The baseline keeps no history: nothing to replay.';
  if (!ctx.targets.includes('hearth')) return { events, hearth: null, baseline: null, ratio: null, note };

  let setup: { token: string; roomId: string; from: number; lastSeq: number } | null = null;
  let dir: string | undefined;
  const client = (token: string, roomId: string, from: number, lastSeq: number) => ({ token, roomId, lastEventId: from, lastSeq, timeoutMs: 120_000 });

  ctx.log(`recovery, hearth: ${events} missed events`);
  const hearth = await withSession(
    ctx,
    'hearth',
    empty,
    async (session, result) => {
      dir = session.dir;
      const [[sender, rx], [owner]] = await Promise.all([session.loadgens(2), createUsers(session.endpoint, 1)]);
      const roomId = await createRoom(session.endpoint, owner!, [owner!], 'recovery');
      const base = { endpoint: session.endpoint, senders: [{ roomId, token: owner!.token }], pick: 'cycle', bodyBytes: 200, requestTimeoutMs: 30_000 };
      const first = await sender!.call<SendResult>('send', { ...base, count: 1, durationMs: 10_000, concurrency: 1, step: 1 });
      const gap = await sender!.call<SendResult>('send', { ...base, count: events, durationMs: 120_000, concurrency: 16, step: 2 }, 180_000);
      if (gap.acked < events) throw new Error(`only ${gap.acked} of ${events} messages were sent`);
      setup = { token: owner!.token!, roomId, from: first.maxSeq, lastSeq: gap.maxSeq };
      for (let i = 0; i < runs; i++) {
        const r = await rx!.call<RecoverResult>('recover', { endpoint: session.endpoint, ...client(setup.token, roomId, setup.from, setup.lastSeq) }, 180_000);
        result.runs.push(r);
        ctx.log(`    default config: ${r.path}, ${r.events} events in ${r.ms} ms`);
      }
    },
    { loadgens: 2 },
  );
  if (setup) {
    const s: { token: string; roomId: string; from: number; lastSeq: number } = setup;
    await withSession(
      ctx,
      'hearth',
      hearth,
      async (session, result) => {
        const [rx] = await session.loadgens(1);
        for (let i = 0; i < runs; i++) {
          const r = await rx!.call<RecoverResult>('recover', { endpoint: session.endpoint, ...client(s.token, s.roomId, s.from, s.lastSeq) }, 180_000);
          result.runs.push(r);
          ctx.log(`    REPLAY_LIMIT=${replayLimit}: ${r.path}, ${r.events} events in ${r.ms} ms`);
        }
      },
      { dir, env: { REPLAY_LIMIT: String(replayLimit) }, loadgens: 1 },
    );
  }
  const ok = (path: RecoverResult['path']) => hearth.runs.filter((r) => r.path === path && r.events >= events);
  hearth.replayMs = median(ok('replay').map((r) => r.ms));
  hearth.resetAndHistoryMs = median(ok('reset+history').map((r) => r.ms));
  hearth.replayEventsPerSec = hearth.replayMs ? Math.round(events / (hearth.replayMs / 1000)) : null;
  for (const r of hearth.runs)
    if (r.path === 'incomplete' || r.events < events)
      hearth.errors.push(`recovery run: ${r.path}, ${r.events} of ${events} events${r.error ? `: ${r.error}` : ''}`);
  return { events, hearth, baseline: null, ratio: null, note };
}

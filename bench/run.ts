/**
 * `npm run bench [-- --quick] [--only fanout,rooms] [--env NAME=value] [--no-baseline]`
 *
 * Starts Hearth (and the raw `ws` baseline) as separate processes, drives them
 * from load-generator processes over loopback, prints a table and writes
 * bench/results/<date>.json and a latency chart. See bench/README.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fanout } from './scenarios/fanout.ts';
import { rooms } from './scenarios/rooms.ts';
import { connections } from './scenarios/connections.ts';
import { persistence } from './scenarios/persistence.ts';
import { recovery } from './scenarios/recovery.ts';
import { fullPlan, quickPlan } from './plan.ts';
import { killAll, killChildrenOnExit } from './procs.ts';
import { ROOT } from './servers.ts';
import type { Ctx } from './scenarios/session.ts';
import type { Target } from './wire.ts';

const SCENARIOS = { fanout, rooms, connections, persistence, recovery } as const;
type Name = keyof typeof SCENARIOS;

function parseArgs(argv: string[]) {
  const opts = { quick: false, only: Object.keys(SCENARIOS) as Name[], env: {} as Record<string, string>, targets: ['hearth', 'baseline'] as Target[] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') opts.quick = true;
    else if (arg === '--no-baseline') opts.targets = ['hearth'];
    else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      for (const n of names) if (!(n in SCENARIOS)) throw new Error(`unknown scenario ${n} (known: ${Object.keys(SCENARIOS).join(', ')})`);
      opts.only = names as Name[];
    } else if (arg === '--env') {
      const [key, ...rest] = (argv[++i] ?? '').split('=');
      if (!key || rest.length === 0) throw new Error('--env wants NAME=value');
      opts.env[key] = rest.join('=');
    } else throw new Error(`unknown argument ${arg}`);
  }
  return opts;
}

async function main(): Promise<void> {
  killChildrenOnExit();
  const opts = parseArgs(process.argv.slice(2));
  const plan = opts.quick ? quickPlan : fullPlan;
  fs.mkdirSync(path.join(ROOT, 'bench/tmp'), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(ROOT, 'bench/tmp/run-'));
  const started = Date.now();
  const ctx: Ctx = { plan, tmp, hearthEnv: opts.env, targets: opts.targets, log: (line) => console.log(line) };
  const scenarios: Record<string, unknown> = {};
  try {
    for (const name of opts.only) {
      const t = Date.now();
      scenarios[name] = await SCENARIOS[name](ctx);
      console.log(`  (${name}: ${((Date.now() - t) / 1000).toFixed(1)} s)`);
    }
  } finally {
    killAll();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const results = { quick: plan.quick, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, scenarios };
  console.log(JSON.stringify(results, null, 2));
}

main().catch((error) => {
  console.error(error);
  killAll();
  process.exit(1);
});

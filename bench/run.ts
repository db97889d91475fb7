/**
 * `npm run bench [-- --quick] [--only fanout,rooms] [--env NAME=value] [--no-baseline] [--wait-quiet SECONDS] [--attempts N] [--profile DIR] [--rewrite-readmes]`
 *
 * Starts Hearth (and the raw `ws` baseline) as separate processes, drives them
 * from load-generator processes over loopback, prints a table and writes
 * bench/results/<date>.json and a latency chart. See bench/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { latencyChart } from './chart.ts';
import { sleep } from './clock.ts';
import { cpuMark, otherProcessesCores } from './cpu.ts';
import { codeFacts, machineFacts } from './machine.ts';
import { judge, markdownReport, markdownSummary, textReport, type Results } from './report.ts';
import { fanout } from './scenarios/fanout.ts';
import { rooms } from './scenarios/rooms.ts';
import { connections } from './scenarios/connections.ts';
import { persistence } from './scenarios/persistence.ts';
import { recovery } from './scenarios/recovery.ts';
import { fullPlan, quickPlan } from './plan.ts';
import { killAll, killChildrenOnExit } from './procs.ts';
import { HEARTH_LIMITS, ROOT, profiling } from './servers.ts';
import type { Ctx, Outcome } from './scenarios/session.ts';
import type { Target } from './wire.ts';

const SCENARIOS = { fanout, rooms, connections, persistence, recovery } as const;
type Name = keyof typeof SCENARIOS;
/** Scenarios measured again (up to --attempts, default 3 in a full run) when other processes disturbed them. */
const RETRYABLE = new Set<Name>(['fanout', 'rooms', 'persistence', 'recovery']);
/** Above this many cores of other processes' CPU, a measurement counts as disturbed. */
const DISTURBED = 0.15;
/** No new attempt starts after this much of the run. */
const RETRY_BUDGET_MS = 13 * 60_000;

function parseArgs(argv: string[]) {
  const opts = {
    quick: false,
    only: Object.keys(SCENARIOS) as Name[],
    env: {} as Record<string, string>,
    targets: ['hearth', 'baseline'] as Target[],
    waitQuietS: null as number | null,
    attempts: null as number | null,
    profile: false,
    rewriteReadmes: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') opts.quick = true;
    else if (arg === '--rewrite-readmes') opts.rewriteReadmes = true;
    else if (arg === '--no-baseline') opts.targets = ['hearth'];
    else if (arg === '--attempts') {
      opts.attempts = Number(argv[++i]);
      if (!Number.isInteger(opts.attempts) || opts.attempts < 1) throw new Error('--attempts wants a positive integer');
    } else if (arg === '--wait-quiet') {
      opts.waitQuietS = Number(argv[++i]);
      if (!Number.isFinite(opts.waitQuietS) || opts.waitQuietS < 0) throw new Error('--wait-quiet wants seconds');
    } else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      for (const n of names) if (!(n in SCENARIOS)) throw new Error(`unknown scenario ${n} (known: ${Object.keys(SCENARIOS).join(', ')})`);
      opts.only = names as Name[];
    } else if (arg === '--profile') {
      profiling.dir = path.resolve(argv[++i] ?? '');
      opts.profile = true;
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
  if (opts.rewriteReadmes) {
    // After editing the report's layout: the READMEs again from the last official run.
    return updateReadmes(JSON.parse(fs.readFileSync(path.join(ROOT, 'bench/results/latest.json'), 'utf8')) as Results);
  }
  const plan = opts.quick ? quickPlan : fullPlan;
  fs.mkdirSync(path.join(ROOT, 'bench/tmp'), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(ROOT, 'bench/tmp/run-'));
  const started = Date.now();
  const machine = machineFacts();
  const code = codeFacts();
  const hearthEnv = { ...HEARTH_LIMITS, ...opts.env };
  const clock = () => `[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s]`;
  const ctx: Ctx = { plan, tmp, hearthEnv: opts.env, targets: opts.targets, log: (line) => console.log(`${clock()} ${line}`) };
  console.log(
    `Hearth bench${plan.quick ? ' --quick' : ''}: ${opts.only.join(', ')}; node ${machine.node}, ${machine.cpus} x ${machine.cpuModel}, load average ${machine.loadAverageAtStart.join(' ')}`,
  );
  const scenarios: Results['scenarios'] = {};
  try {
    for (const name of opts.only) {
      const attempts: { otherProcessesCores: number | null; wallMs: number; waitedForQuietMs: number }[] = [];
      let best: { result: Awaited<ReturnType<(typeof SCENARIOS)[Name]>>; other: number; attempt: number } | null = null;
      const maxAttempts = RETRYABLE.has(name) ? (opts.attempts ?? (plan.quick ? 1 : 3)) : 1;
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const waitedMs = await waitForQuiet(ctx, (opts.waitQuietS ?? (plan.quick ? 0 : 60)) * 1000);
        const t = Date.now();
        const mark = cpuMark();
        const result = await SCENARIOS[name](ctx);
        const other = otherProcessesCores(mark);
        attempts.push({ otherProcessesCores: other, wallMs: Date.now() - t, waitedForQuietMs: waitedMs });
        // Disturbance that hits one server and not the other skews the comparison most.
        const perServer = result as { hearth: Outcome | null; baseline: Outcome | null };
        const worst = Math.max(other ?? 0, perServer.hearth?.otherProcessesCores ?? 0, perServer.baseline?.otherProcessesCores ?? 0);
        if (!best || worst < best.other) best = { result, other: worst, attempt: attempts.length - 1 };
        if (worst <= DISTURBED) break;
        const more = attempt < maxAttempts && Date.now() - started < RETRY_BUDGET_MS;
        ctx.log(`warning: other processes used up to ${worst} cores during ${name}${more ? '; measuring it again' : ''}`);
        if (!more) break;
      }
      // The least disturbed attempt is kept; `attempts` says how each went.
      const kept = best!;
      Object.assign(scenarios, { [name]: { ...kept.result, ...attempts[kept.attempt]!, otherProcessesCores: kept.other, attempts } });
    }
  } finally {
    killAll();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const partial = {
    quick: plan.quick,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    machine: { ...machine, loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    code,
    hearthEnv,
    scenarios,
  };
  const results: Results = { ...partial, targets: judge(partial) };
  // Only a complete full run, with Hearth as configured here, is the record; the rest go to results/local/.
  const official =
    !plan.quick && opts.only.length === Object.keys(SCENARIOS).length && opts.targets.length === 2 && Object.keys(opts.env).length === 0 && !opts.profile;
  const dir = path.join(ROOT, 'bench/results', official ? '' : 'local');
  fs.mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(results, null, 2) + '\n';
  const file = path.join(dir, `${results.startedAt.slice(0, 10)}.json`);
  fs.writeFileSync(file, json);
  fs.writeFileSync(path.join(dir, 'latest.json'), json);
  fs.writeFileSync(path.join(dir, 'latency.svg'), latencyChart(results));
  const markdown = markdownReport(results);
  fs.writeFileSync(path.join(dir, 'latest.md'), markdown + '\n');
  if (official) updateReadmes(results);
  console.log(`\n${textReport(results)}\n\nwrote ${path.relative(ROOT, file)}, latest.json, latency.svg and latest.md in ${path.relative(ROOT, dir)}/`);
}

/**
 * The machine has two cores and may be shared (test suites, builds): before a
 * scenario, wait up to `maxMs` for other processes to use under 0.15 cores.
 */
async function waitForQuiet(ctx: Ctx, maxMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < maxMs) {
    const mark = cpuMark();
    await sleep(2000);
    const other = otherProcessesCores(mark);
    if (other === null || other < 0.15) break;
    ctx.log(`waiting for quiet: other processes are using ${other} cores`);
  }
  return Date.now() - started;
}

/**
 * The latest official run, between two markers: all of it in bench/README.md,
 * the headline table and the targets in the project's README.
 */
function updateReadmes(results: Results): void {
  replaceBetweenMarkers('bench/README.md', `${markdownReport(results)}\n\n![latency against load](results/latency.svg)`);
  replaceBetweenMarkers('README.md', `${markdownSummary(results)}\n\n![latency against load](bench/results/latency.svg)`);
}

function replaceBetweenMarkers(relative: string, markdown: string): void {
  const file = path.join(ROOT, relative);
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  const start = '<!-- bench:results:start -->';
  const end = '<!-- bench:results:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return;
  fs.writeFileSync(file, `${text.slice(0, a)}${start}\n${markdown}\n${end}${text.slice(b + end.length)}`);
}

main().catch((error) => {
  console.error(error);
  killAll();
  process.exit(1);
});

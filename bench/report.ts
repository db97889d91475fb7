import type { codeFacts, machineFacts } from './machine.ts';
import type { connections } from './scenarios/connections.ts';
import type { fanout } from './scenarios/fanout.ts';
import type { persistence } from './scenarios/persistence.ts';
import type { recovery } from './scenarios/recovery.ts';
import type { rooms } from './scenarios/rooms.ts';

export interface Results {
  quick: boolean;
  startedAt: string;
  durationMs: number;
  machine: ReturnType<typeof machineFacts> & { loadAverageAtEnd: number[] };
  code: ReturnType<typeof codeFacts>;
  /** Settings given to Hearth besides its defaults (HEARTH_LIMITS and --env). */
  hearthEnv: Record<string, string>;
  scenarios: {
    fanout?: Measured<typeof fanout>;
    rooms?: Measured<typeof rooms>;
    connections?: Measured<typeof connections>;
    persistence?: Measured<typeof persistence>;
    recovery?: Measured<typeof recovery>;
  };
  targets: Target[];
}

/** A scenario's result, with its wall time and the CPU other processes took meanwhile (cores, average). */
type Measured<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>> & {
  wallMs: number;
  otherProcessesCores: number | null;
  /** How long the bench waited for other processes to quiet down before the scenario. */
  waitedForQuietMs: number;
  /** Each attempt (a disturbed scenario is measured again); the least disturbed one is reported. */
  attempts: { otherProcessesCores: number | null; wallMs: number; waitedForQuietMs: number }[];
};

export interface Target {
  name: string;
  value: string;
  target: string;
  /** null: not measured (or not meaningful in quick mode). */
  pass: boolean | null;
}

const num = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined ? '-' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${Math.round(x * 100)}%`);
const times = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${x.toFixed(2)}x`);

/** The targets, judged from the results. */
export function judge(r: Omit<Results, 'targets'>): Target[] {
  const { fanout, connections, persistence } = r.scenarios;
  const out: Target[] = [];
  if (fanout) {
    out.push({
      name: `fan-out deliveries/s at ${fanout.subscribers} subscribers, saturated, vs baseline`,
      value: pct(fanout.ratio),
      target: '>= 50%',
      pass: fanout.ratio === null ? null : fanout.ratio >= 0.5,
    });
    const p99 = fanout.hearth?.p99Ms ?? null;
    const ref = fanout.hearth?.referenceRate ?? 10;
    out.push({
      name: `fan-out p99 at ${fanout.subscribers} subscribers and ${ref} msg/s`,
      value: `${ms(p99)} ms (${times(fanout.p99Ratio)} baseline)`,
      target: '<= 1.5x baseline and < 40 ms',
      pass: p99 === null || fanout.p99Ratio === null ? null : fanout.p99Ratio <= 1.5 && p99 < 40,
    });
  }
  if (connections) {
    out.push({
      name: 'RSS per idle subscribed connection vs baseline',
      value: times(connections.ratio),
      target: '<= 3x',
      pass: connections.ratio === null ? null : connections.ratio <= 3,
    });
    const held = connections.hearth?.held ?? null;
    out.push({
      name: `connections held (of ${num(Math.max(...connections.steps))})`,
      value: num(held),
      target: '>= 19,000',
      pass: r.quick || held === null ? null : held >= 19_000,
    });
  }
  if (persistence) {
    const acked = persistence.hearth?.ackedPerSec ?? null;
    out.push({
      name: `durable sends acked/s, ${persistence.senders} senders`,
      value: num(acked),
      target: '>= 3,000',
      pass: acked === null ? null : acked >= 3000,
    });
  }
  return out;
}

type Row = [string, string, string, string];

/** The headline figures, one section per scenario: [what, Hearth, baseline, Hearth/baseline]. */
function summaryRows(r: Results): { title: string; rows: Row[] }[] {
  const { fanout, rooms, connections, persistence, recovery } = r.scenarios;
  const sections: { title: string; rows: Row[] }[] = [];
  const disturbed = (s: { otherProcessesCores: number | null }) =>
    s.otherProcessesCores !== null && s.otherProcessesCores > 0.1 ? ` [disturbed: other processes took ${s.otherProcessesCores} cores]` : '';
  for (const [s, title] of [
    [fanout, fanout && `1. fan-out: one room, ${num(fanout.subscribers)} subscribers`],
    [rooms, rooms && `2. many rooms: ${num(rooms.connections)} connections in ${rooms.rooms} rooms of ${rooms.perRoom}`],
  ] as const) {
    if (!s || !title) continue;
    const h = s.hearth;
    const b = s.baseline;
    const ref = h?.referenceRate ?? b?.referenceRate;
    sections.push({
      title: title + disturbed(s),
      rows: [
        ['deliveries/s, saturated', num(h?.deliveriesPerSec), num(b?.deliveriesPerSec), times(s.ratio)],
        ['server CPU per delivery, saturated (µs)', num(h?.serverCpuUsPerDelivery, 1), num(b?.serverCpuUsPerDelivery, 1), times(s.cpuRatio)],
        ["load generators' CPU per delivery (µs)", num(h?.loadgenCpuUsPerDelivery, 1), num(b?.loadgenCpuUsPerDelivery, 1), ''],
        [`p50 latency at ${ref} msg/s (ms)`, ms(h?.p50Ms), ms(b?.p50Ms), ''],
        [`p95 latency at ${ref} msg/s (ms)`, ms(h?.p95Ms), ms(b?.p95Ms), ''],
        [`p99 latency at ${ref} msg/s (ms)`, ms(h?.p99Ms), ms(b?.p99Ms), times(s.p99Ratio)],
      ],
    });
  }
  if (connections) {
    const h = connections.hearth;
    const b = connections.baseline;
    const top = Math.max(...connections.steps);
    const rows: Row[] = [];
    for (const [i, n] of connections.steps.entries()) {
      const hs = h?.steps[i];
      const bs = b?.steps[i];
      rows.push([`held at ${num(n)}`, num(hs?.held), num(bs?.held), '']);
      rows.push([`RSS per connection at ${num(n)} (KB)`, num(hs?.rssPerConnKB, 1), num(bs?.rssPerConnKB, 1), '']);
      rows.push([`heap per connection at ${num(n)} (KB)`, num(hs?.heapPerConnKB, 1), num(bs?.heapPerConnKB, 1), '']);
    }
    rows.push([
      'RSS / heap per extra connection, first to last step (KB)',
      `${num(h?.rssMarginalKB, 1)} / ${num(h?.heapMarginalKB, 1)}`,
      `${num(b?.rssMarginalKB, 1)} / ${num(b?.heapMarginalKB, 1)}`,
      '',
    ]);
    rows.push([`still held after ${num((h?.holdMs ?? 0) / 1000, 1)} s / ${num((b?.holdMs ?? 0) / 1000, 1)} s`, num(h?.held), num(b?.held), '']);
    rows.push([`RSS / heap per connection at ${num(top)}, vs baseline`, '', '', `${times(connections.ratio)} / ${times(connections.heapRatio)}`]);
    sections.push({ title: `3. idle connections: ${connections.steps.map((n) => num(n)).join(' and ')}${disturbed(connections)}`, rows });
  }
  if (persistence) {
    const h = persistence.hearth;
    const b = persistence.baseline;
    sections.push({
      title: `4. persistence: ${persistence.senders} concurrent senders (baseline stores nothing)${disturbed(persistence)}`,
      rows: [
        ['acknowledged sends/s', num(h?.ackedPerSec), num(b?.ackedPerSec), times(persistence.ratio)],
        ['ack p50 (ms)', ms(h?.p50Ms), ms(b?.p50Ms), ''],
        ['ack p99 (ms)', ms(h?.p99Ms), ms(b?.p99Ms), ''],
      ],
    });
  }
  if (recovery) {
    const h = recovery.hearth;
    sections.push({
      title: `5. recovery: ${num(recovery.events)} missed events (baseline keeps no history)${disturbed(recovery)}`,
      rows: [
        [`replay on the stream, REPLAY_LIMIT=${num(h?.replayLimitForReplay)} (ms)`, ms(h?.replayMs), '-', ''],
        ['replay rate (events/s)', num(h?.replayEventsPerSec), '-', ''],
        ['default config: reset, then messages.history (ms)', ms(h?.resetAndHistoryMs), '-', ''],
      ],
    });
  }
  return sections;
}

function stepRows(r: Results): { title: string; head: string[]; rows: string[][] }[] {
  const out: { title: string; head: string[]; rows: string[][] }[] = [];
  for (const [s, name] of [
    [r.scenarios.fanout, 'fan-out'],
    [r.scenarios.rooms, 'many rooms'],
  ] as const) {
    if (!s) continue;
    const all = [...(s.hearth?.steps ?? []), ...(s.baseline?.steps ?? [])];
    const order = (label: string) => all.find((x) => x.label === label)?.rate ?? Infinity;
    const labels = [...new Set(all.map((x) => x.label))].sort((a, b) => order(a) - order(b));
    const cell = (steps: typeof s.hearth, label: string) => {
      const x = steps?.steps.find((y) => y.label === label);
      if (!x) return ['-', '-', '-'];
      return [num(x.deliveriesPerSec) + (x.overloaded ? '*' : ''), ms(x.p50Ms), ms(x.p99Ms)];
    };
    out.push({
      title: `${name} steps (* overloaded: the ramp stops there)`,
      head: ['step', 'offered/s', 'Hearth deliv/s', 'p50', 'p99', 'baseline deliv/s', 'p50', 'p99'],
      rows: labels.map((label) => {
        const any = s.hearth?.steps.find((y) => y.label === label) ?? s.baseline?.steps.find((y) => y.label === label);
        return [label, num(any?.offeredDeliveriesPerSec), ...cell(s.hearth, label), ...cell(s.baseline, label)];
      }),
    });
  }
  return out;
}

function header(r: Results): string {
  const m = r.machine;
  const dirty = r.code.uncommittedServerChanges ? ` + ${r.code.uncommittedServerChanges} uncommitted file(s) under src/` : '';
  return (
    `Hearth bench${r.quick ? ' (--quick)' : ''}, ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${Math.round(r.durationMs / 1000)} s; ` +
    `commit ${r.code.commit?.slice(0, 7) ?? '?'}${dirty}; node ${m.node}, ${m.cpus} x ${m.cpuModel}; load average ${m.loadAverageAtStart.join(' ')} at start`
  );
}

function errorsOf(r: Results): string[] {
  const lines: string[] = [];
  for (const [name, s] of Object.entries(r.scenarios)) {
    for (const target of ['hearth', 'baseline'] as const) {
      const errors = (s as Record<string, { errors?: string[] } | null>)[target]?.errors ?? [];
      for (const e of errors) lines.push(`${name}/${target}: ${e}`);
    }
  }
  return lines;
}

/** Fixed-width text for the terminal. */
export function textReport(r: Results): string {
  const pad = (cells: string[], widths: number[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const lines = [header(r), ''];
  const w = [52, 12, 12, 16];
  lines.push(pad(['', 'Hearth', 'baseline', 'Hearth/baseline'], w));
  for (const section of summaryRows(r)) {
    lines.push(section.title);
    for (const row of section.rows) lines.push(pad(['  ' + row[0], row[1], row[2], row[3]], w));
  }
  for (const t of stepRows(r)) {
    lines.push('', t.title);
    const sw = [11, 10, 15, 8, 8, 17, 8, 8];
    lines.push(pad(t.head, sw));
    for (const row of t.rows) lines.push(pad(row, sw));
  }
  lines.push('', 'targets');
  for (const t of r.targets) lines.push(`  ${t.pass === null ? 'n/a ' : t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value} (target ${t.target})`);
  const errors = errorsOf(r);
  if (errors.length) {
    lines.push('', 'errors');
    for (const e of errors.slice(0, 40)) lines.push(`  ${e}`);
    if (errors.length > 40) lines.push(`  … ${errors.length - 40} more in the JSON`);
  }
  return lines.join('\n');
}

const mdRow = (cells: string[]) => `| ${cells.join(' | ')} |`;

/** The headline table and the targets, as Markdown for the project's README. */
export function markdownSummary(r: Results): string {
  return markdown(r, { steps: false });
}

/** Everything, as Markdown for bench/README.md: the headline table, each scenario's steps, the targets. */
export function markdownReport(r: Results): string {
  return markdown(r, { steps: true });
}

function markdown(r: Results, { steps }: { steps: boolean }): string {
  const lines = [header(r), '', mdRow(['', 'Hearth', 'baseline', 'Hearth/baseline']), mdRow(['---', '---:', '---:', '---:'])];
  for (const section of summaryRows(r)) {
    lines.push(mdRow([`**${section.title}**`, '', '', '']));
    for (const r2 of section.rows) lines.push(mdRow(r2));
  }
  for (const t of steps ? stepRows(r) : []) {
    lines.push('', `*${t.title}*`, '', mdRow(t.head), mdRow(t.head.map((_, i) => (i === 0 ? '---' : '---:'))));
    for (const r2 of t.rows) lines.push(mdRow(r2));
  }
  lines.push('', '| target | measured | wanted | |', '|---|---:|---|---|');
  for (const t of r.targets) lines.push(mdRow([t.name, t.value, t.target, t.pass === null ? 'n/a' : t.pass ? 'pass' : '**fail**']));
  const errors = errorsOf(r);
  if (steps && errors.length) lines.push('', `Errors recorded: ${errors.length} (see \`errors\` in the JSON).`);
  return lines.join('\n');
}

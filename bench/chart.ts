import type { Results } from './report.ts';
import type { RampResult } from './scenarios/ramp.ts';

/**
 * An SVG of latency against offered load (log-log), one panel per ramp
 * scenario: p50 and p99 for Hearth and for the baseline at each paced step.
 * Hollow markers are overloaded steps (deliveries fell behind the offer).
 */
interface Series {
  name: string;
  color: string;
  dash: string;
  points: { x: number; y: number; overloaded: boolean }[];
}

const W = 460;
const H = 340;
const M = { left: 58, right: 16, top: 36, bottom: 48 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) => (v >= 1e6 ? `${v / 1e6}M` : v >= 1000 ? `${v / 1000}k` : String(v));

function series(result: RampResult | null, who: string, color: string): Series[] {
  const steps = (result?.steps ?? []).filter((s) => s.offeredDeliveriesPerSec !== null);
  const pick = (q: 'p50Ms' | 'p99Ms') =>
    steps.filter((s) => s[q] !== null).map((s) => ({ x: s.offeredDeliveriesPerSec!, y: Math.max(0.05, s[q]!), overloaded: s.overloaded }));
  return [
    { name: `${who} p99`, color, dash: '', points: pick('p99Ms') },
    { name: `${who} p50`, color, dash: '5 4', points: pick('p50Ms') },
  ];
}

function panel(ox: number, title: string, all: Series[]): string {
  const pts = all.flatMap((s) => s.points);
  if (pts.length === 0) return `<text x="${ox + W / 2}" y="${H / 2}" text-anchor="middle">${esc(title)}: no data</text>`;
  const decade = (v: number, up: boolean) => 10 ** (up ? Math.ceil(Math.log10(v)) : Math.floor(Math.log10(v)));
  const x0 = decade(Math.min(...pts.map((p) => p.x)), false);
  const x1 = Math.max(x0 * 10, decade(Math.max(...pts.map((p) => p.x)), true));
  const y0 = decade(Math.min(...pts.map((p) => p.y)), false);
  const y1 = Math.max(y0 * 10, decade(Math.max(...pts.map((p) => p.y)), true));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (v: number) => ox + M.left + ((Math.log10(v) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))) * pw;
  const sy = (v: number) => M.top + ph - ((Math.log10(v) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * ph;
  const out: string[] = [];
  out.push(`<text x="${ox + M.left + pw / 2}" y="20" text-anchor="middle" font-weight="bold">${esc(title)}</text>`);
  for (let d = x0; d <= x1 * 1.0001; d *= 10) {
    for (const m of [1, 2, 5]) {
      const v = d * m;
      if (v > x1 * 1.0001) break;
      out.push(`<line x1="${sx(v)}" y1="${M.top}" x2="${sx(v)}" y2="${M.top + ph}" stroke="#ddd"${m === 1 ? '' : ' stroke-dasharray="2 3"'}/>`);
      if (m === 1 || pw / Math.log10(x1 / x0) > 120) out.push(`<text x="${sx(v)}" y="${M.top + ph + 16}" text-anchor="middle">${fmt(v)}</text>`);
    }
  }
  for (let d = y0; d <= y1 * 1.0001; d *= 10) {
    for (const m of [1, 2, 5]) {
      const v = d * m;
      if (v > y1 * 1.0001) break;
      out.push(`<line x1="${ox + M.left}" y1="${sy(v)}" x2="${ox + M.left + pw}" y2="${sy(v)}" stroke="#ddd"${m === 1 ? '' : ' stroke-dasharray="2 3"'}/>`);
      if (m === 1 || ph / Math.log10(y1 / y0) > 90)
        out.push(`<text x="${ox + M.left - 6}" y="${sy(v) + 4}" text-anchor="end">${v < 1 ? v.toFixed(1) : fmt(v)}</text>`);
    }
  }
  out.push(`<rect x="${ox + M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${ox + M.left + pw / 2}" y="${H - 10}" text-anchor="middle">offered deliveries per second</text>`);
  out.push(`<text transform="translate(${ox + 14} ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">latency, send to receipt (ms)</text>`);
  for (const s of all) {
    if (s.points.length === 0) continue;
    const path = s.points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)} ${sy(p.y).toFixed(1)}`).join(' ');
    out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    for (const p of s.points) {
      out.push(
        `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3.5" fill="${p.overloaded ? 'white' : s.color}" stroke="${s.color}" stroke-width="1.5"/>`,
      );
    }
  }
  return out.join('\n');
}

export function latencyChart(r: Results): string {
  const panels: [string, Series[]][] = [];
  const { fanout, rooms } = r.scenarios;
  const both = (s: { hearth: RampResult | null; baseline: RampResult | null }) => [
    ...series(s.hearth, 'Hearth', '#d9480f'),
    ...series(s.baseline, 'baseline (raw ws)', '#1c7ed6'),
  ];
  if (fanout) panels.push([`fan-out: 1 room, ${fanout.subscribers.toLocaleString('en-US')} subscribers`, both(fanout)]);
  if (rooms) panels.push([`many rooms: ${rooms.rooms} rooms of ${rooms.perRoom}`, both(rooms)]);
  const width = Math.max(1, panels.length) * W;
  const legendY = H + 8;
  const legend = [
    ['Hearth p99', '#d9480f', ''],
    ['Hearth p50', '#d9480f', '5 4'],
    ['baseline p99', '#1c7ed6', ''],
    ['baseline p50', '#1c7ed6', '5 4'],
  ]
    .map(([name, color, dash], i) => {
      const x = 20 + i * 150;
      return `<line x1="${x}" y1="${legendY + 8}" x2="${x + 28}" y2="${legendY + 8}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/><text x="${x + 34}" y="${legendY + 12}">${name}</text>`;
    })
    .join('\n');
  const note = `${r.quick ? 'quick run, ' : ''}${r.startedAt.slice(0, 10)}, commit ${r.code.commit?.slice(0, 7) ?? '?'}; hollow marker: overloaded step`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 50}" viewBox="0 0 ${width} ${H + 50}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...panels.map(([title, s], i) => panel(i * W, title, s)),
    legend,
    `<text x="${width - 10}" y="${legendY + 34}" text-anchor="end" fill="#666">${esc(note)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

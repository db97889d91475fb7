import fs from 'node:fs';
import os from 'node:os';
import { livePids } from './procs.ts';

/**
 * How much CPU went to processes other than the bench's own while a scenario
 * ran. The machine has two cores and the figures are only as good as the
 * quiet around them, so every scenario records it (`otherProcessesCores`).
 * Linux only; elsewhere it reports null.
 */
const TICKS_PER_S = 100;

function systemBusyTicks(): number | null {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return user + nice + system + irq + softirq + steal;
  } catch {
    return null;
  }
}

/** utime+stime, plus cutime+cstime (children already reaped) when `withReaped`. */
function procTicks(pid: number, withReaped: boolean): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // Fields 14-17 of stat, counted from after "(comm)": state is index 0.
    return f[11]! + f[12]! + (withReaped ? f[13]! + f[14]! : 0);
  } catch {
    return 0;
  }
}

function ourTicks(): number {
  let ticks = procTicks(process.pid, true);
  for (const pid of livePids()) ticks += procTicks(pid, false);
  return ticks;
}

export interface CpuMark {
  at: number;
  system: number | null;
  ours: number;
}

export function cpuMark(): CpuMark {
  return { at: performance.now(), system: systemBusyTicks(), ours: ourTicks() };
}

/** Cores' worth of CPU other processes used on average since `mark`. */
export function otherProcessesCores(mark: CpuMark): number | null {
  const now = cpuMark();
  if (mark.system === null || now.system === null) return null;
  const seconds = (now.at - mark.at) / 1000;
  if (seconds <= 0) return null;
  const foreign = Math.max(0, now.system - mark.system - (now.ours - mark.ours)) / TICKS_PER_S;
  return Math.round((foreign / seconds) * 100) / 100;
}

export const cores = () => os.cpus().length;

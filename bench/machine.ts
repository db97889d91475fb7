import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { ROOT } from './servers.ts';

/** What the numbers were measured on, and what else was running (load average). */
export function machineFacts() {
  const cpus = os.cpus();
  const limits = (() => {
    try {
      return /Max open files\s+(\d+)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? null;
    } catch {
      return null;
    }
  })();
  return {
    node: process.version,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryMB: Math.round(os.totalmem() / 2 ** 20),
    os: `${os.type()} ${os.release()}`,
    openFileLimit: limits === null ? null : Number(limits),
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** The code measured: Hearth runs from the working tree, so uncommitted changes under src/ count. */
export function codeFacts() {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  const changed = git('status', '--porcelain', '--', 'src', 'prisma', 'package.json');
  return { commit: git('rev-parse', 'HEAD'), uncommittedServerChanges: changed ? changed.split('\n').length : 0 };
}

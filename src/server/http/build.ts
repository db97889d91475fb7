import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** What the browser bundle is built from (server code reaches it only as types). */
const SOURCES = ['src/app', 'src/trpc', 'next.config.mjs', 'package.json'];
const STAMP = path.join('.next', 'HEARTH_SOURCES');

function listFiles(entry: string): string[] {
  if (!fs.existsSync(entry)) return [];
  if (!fs.statSync(entry).isDirectory()) return [entry];
  return fs
    .readdirSync(entry)
    .sort()
    .flatMap((name) => listFiles(path.join(entry, name)));
}

export function webSourceHash(dir: string): string {
  const hash = crypto.createHash('sha256');
  for (const file of SOURCES.flatMap((s) => listFiles(path.join(dir, s)))) {
    hash.update(path.relative(dir, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/**
 * Builds the Next.js app when there is no production build, or when the build
 * is older than the sources (after a `git pull`), so `npm start` never serves
 * a stale UI. Returns whether it built.
 */
export function ensureWebBuild(dir: string, log: (message: string) => void): boolean {
  const hash = webSourceHash(dir);
  const stamp = path.join(dir, STAMP);
  const built = fs.existsSync(path.join(dir, '.next', 'BUILD_ID')) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash;
  if (built) return false;
  log('building the web app (`next build`, once per change, about a minute)');
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const result = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: dir,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
  fs.writeFileSync(stamp, hash);
  return true;
}

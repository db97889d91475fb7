import { ensureWebBuild } from '../src/server/http/build.ts';
import { ROOT } from './helpers/process.ts';

/**
 * Builds the web app once, before any test file runs, so the suites that boot
 * the whole app (in parallel) never race each other into `next build`.
 */
export default function setup(): void {
  ensureWebBuild(ROOT, (message) => console.log(`[global-setup] ${message}`));
}

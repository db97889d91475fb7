import { ensureWebBuild } from '../src/server/http/build.ts';
import { ROOT } from './helpers/process.ts';

/**
 * Builds the web app once, before any test file runs, so the suites that boot
 * the whole app (in parallel) never race each other into `next build`.
 */
export default function setup(): void {
  // For quick API-only runs (`HEARTH_TEST_NO_WEB=1 npx vitest run tests/rooms.test.ts`).
  if (process.env.HEARTH_TEST_NO_WEB === '1') return;
  ensureWebBuild(ROOT, (message) => console.log(`[global-setup] ${message}`));
}

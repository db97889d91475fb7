import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    // The full-boot test may run `next build` first on a fresh clone.
    hookTimeout: 240_000,
    env: { NEXT_TELEMETRY_DISABLED: '1' },
  },
});

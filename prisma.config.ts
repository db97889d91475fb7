import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

// Prisma 6.19's JavaScript schema engine runs offline through a driver adapter;
// the native engines it would otherwise download are unreachable here.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  async adapter() {
    return new PrismaBetterSQLite3({ url: process.env.PRISMA_CLI_DATABASE_URL ?? 'file:./prisma/dev.db' });
  },
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { derivePostgresSchema, SOURCE, TARGET } from '../scripts/derive-postgres-schema.ts';
import { POSTGRES_MIGRATIONS_DIR } from '../src/server/db/migrate.ts';
import { ROOT } from './helpers/process.ts';

const lastSnapshot = (dir: string) => {
  const folders = fs
    .readdirSync(dir)
    .filter((f) => fs.statSync(path.join(dir, f)).isDirectory())
    .sort();
  return fs.readFileSync(path.join(dir, folders.at(-1)!, 'schema.prisma'), 'utf8');
};

describe('one source of truth for the data model', () => {
  it('the PostgreSQL schema is exactly the one derived from prisma/schema.prisma', () => {
    expect(fs.readFileSync(TARGET, 'utf8')).toBe(derivePostgresSchema(fs.readFileSync(SOURCE, 'utf8')));
  });

  it('both databases have a migration for the current data model (npm run db:migration)', () => {
    expect(lastSnapshot(path.join(ROOT, 'prisma/migrations'))).toBe(fs.readFileSync(SOURCE, 'utf8'));
    expect(lastSnapshot(POSTGRES_MIGRATIONS_DIR)).toBe(fs.readFileSync(TARGET, 'utf8'));
  });
});

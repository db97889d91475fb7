/**
 * `npm run db:migration -- <name>`: after editing prisma/schema.prisma, writes
 * the SQL that takes each database (SQLite and PostgreSQL) from its last
 * migration's data model to the current one, and re-derives the PostgreSQL schema.
 *
 * Each migration folder keeps a snapshot of the schema it was made from, so the
 * diff runs schema-to-schema, offline: Prisma's `--from-migrations` needs a
 * shadow database, which its JavaScript engine cannot replay here.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { derivePostgresSchema, SOURCE, TARGET } from './derive-postgres-schema.ts';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name_in_snake_case>');
  process.exit(2);
}
fs.writeFileSync(TARGET, derivePostgresSchema(fs.readFileSync(SOURCE, 'utf8')));
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);

function migrate(schema: string, dir: string) {
  const folders = fs
    .readdirSync(dir)
    .filter((f) => fs.statSync(path.join(dir, f)).isDirectory())
    .sort();
  const last = folders.at(-1);
  const from = last ? ['--from-schema-datamodel', path.join(dir, last, 'schema.prisma')] : ['--from-empty'];
  const sql = execFileSync('npx', ['prisma', 'migrate', 'diff', ...from, '--to-schema-datamodel', schema, '--script'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (!/\b(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE)\b/i.test(sql)) return console.log(`${dir}: no changes since the last migration`);
  const target = path.join(dir, `${stamp}_${name}`);
  fs.mkdirSync(target);
  fs.writeFileSync(path.join(target, 'migration.sql'), sql);
  fs.copyFileSync(schema, path.join(target, 'schema.prisma'));
  console.log(`Wrote ${path.relative(process.cwd(), target)}/migration.sql`);
}

migrate('prisma/schema.prisma', 'prisma/migrations');
migrate('prisma/postgres/schema.prisma', 'prisma/postgres/migrations');
console.log('Hearth applies new migrations at its next start. Run `npm install` (or `npm run postinstall`) to regenerate the clients.');

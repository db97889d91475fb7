/**
 * `npm run db:migration -- <name>`: writes the SQL that takes the database from
 * the last migration's data model to prisma/schema.prisma.
 *
 * Each migration folder keeps a snapshot of the schema it was made from, so the
 * diff runs schema-to-schema, offline: Prisma's `--from-migrations` needs a
 * shadow database, which its JavaScript engine cannot replay here.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name_in_snake_case>');
  process.exit(2);
}

const dir = path.resolve('prisma/migrations');
const folders = fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isDirectory()).sort();
const last = folders.at(-1);
const from = last ? ['--from-schema-datamodel', path.join(dir, last, 'schema.prisma')] : ['--from-empty'];
const sql = execFileSync(
  'npx',
  ['prisma', 'migrate', 'diff', ...from, '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
if (!/\b(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE)\b/i.test(sql)) {
  console.log('No changes to the data model since the last migration.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const target = path.join(dir, `${stamp}_${name}`);
fs.mkdirSync(target);
fs.writeFileSync(path.join(target, 'migration.sql'), sql);
fs.copyFileSync('prisma/schema.prisma', path.join(target, 'schema.prisma'));
console.log(`Wrote ${path.relative(process.cwd(), target)}/migration.sql; Hearth applies it at the next start.`);

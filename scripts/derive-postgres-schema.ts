/**
 * Prisma fixes the provider per schema file, so the PostgreSQL schema is derived
 * from the one source of truth (prisma/schema.prisma): same models, another
 * provider and client output. `--check` fails if the committed copy drifted.
 *   npx tsx scripts/derive-postgres-schema.ts [--check]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const SOURCE = path.join(root, 'prisma/schema.prisma');
export const TARGET = path.join(root, 'prisma/postgres/schema.prisma');

export function derivePostgresSchema(source: string): string {
  const replace = (text: string, from: RegExp, to: string) => {
    if (!from.test(text)) throw new Error(`derive-postgres-schema: ${from} not found in prisma/schema.prisma`);
    return text.replace(from, to);
  };
  let schema = source;
  schema = replace(schema, /provider = "sqlite"/, 'provider = "postgresql"');
  schema = replace(schema, /output(\s*)= "..\/src\/server\/db\/generated"/, 'output$1= "../../src/server/db/generated-pg"');
  schema = replace(schema, /url(\s*)= "file:[^"]*"/, 'url$1= "postgresql://hearth@127.0.0.1:5432/hearth"');
  schema = replace(schema, /^\/\/ The source of truth.*$/m, '// GENERATED from prisma/schema.prisma by scripts/derive-postgres-schema.ts: do not edit.');
  return schema;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const derived = derivePostgresSchema(fs.readFileSync(SOURCE, 'utf8'));
  if (process.argv.includes('--check')) {
    const committed = fs.existsSync(TARGET) ? fs.readFileSync(TARGET, 'utf8') : '';
    if (committed !== derived) {
      console.error('prisma/postgres/schema.prisma is out of date: run npx tsx scripts/derive-postgres-schema.ts');
      process.exit(1);
    }
  } else {
    fs.mkdirSync(path.dirname(TARGET), { recursive: true });
    fs.writeFileSync(TARGET, derived);
    console.log('Wrote prisma/postgres/schema.prisma');
  }
}

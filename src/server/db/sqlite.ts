import fs from 'node:fs';
import path from 'node:path';

/** `file:./data/hearth.db` → an absolute path, relative to the working directory. */
export function sqlitePath(databaseUrl: string): string {
  const file = databaseUrl.replace(/^file:/, '').replace(/\?.*$/, '');
  return path.resolve(file);
}

export function ensureParentDir(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
}

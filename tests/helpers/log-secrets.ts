/**
 * What must never reach a log: every token and password the tests hand the
 * server, and anything shaped like a session token (43 base64url characters).
 * The server helper records them and scans its suite's logs after each file;
 * no vitest import here, so process.ts (used by the global setup) can use it.
 */
const secrets = new Set<string>(['correct horse battery', 'not the password']);
const outputs: Array<() => string> = [];
const TOKEN_SHAPE = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

export function recordSecret(secret: string | undefined): void {
  if (secret && secret.length >= 6) secrets.add(secret);
}

/** Output of a spawned server, read when the file's logs are scanned. */
export function recordOutput(read: () => string): void {
  outputs.push(read);
}

export function spawnedOutputs(): string[] {
  return outputs.splice(0).map((read) => read());
}

/** The log lines that give a secret away, each with what it gave away. */
export function leaks(text: string): Array<{ line: string; secret: string }> {
  const found: Array<{ line: string; secret: string }> = [];
  for (const line of text.split('\n')) {
    for (const secret of secrets) if (line.includes(secret)) found.push({ line, secret });
    // Only our JSON log lines: other output (a web build's hashes) may look like a token.
    if (line.startsWith('{')) for (const match of line.matchAll(TOKEN_SHAPE)) found.push({ line, secret: match[0] });
  }
  return found;
}

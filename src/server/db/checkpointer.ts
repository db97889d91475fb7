import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies SQLite's write-ahead log back into the database file from a worker
 * thread, on a connection of its own, so that the server's thread never
 * waits on that copy and its fsyncs (they cost a message about a third of its
 * database time when SQLite did them at commit). Committed transactions are
 * durable in the log either way; this only keeps the log short.
 *
 * The server's connection keeps a far-off automatic checkpoint as a backstop
 * (FALLBACK_PAGES), so the log stays bounded even if this worker stops.
 */
export const FALLBACK_PAGES = 20_000;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
let busy = false;
const timer = setInterval(() => {
  if (busy) return;
  busy = true;
  try {
    // PASSIVE: copies what it can without blocking the writer; never waits.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) });
  } finally {
    busy = false;
  }
}, workerData.intervalMs);
parentPort.on('message', (msg) => {
  if (msg !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, { intervalMs = 250, onError }: { intervalMs?: number; onError: (message: string) => void }): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs } });
  worker.on('message', (msg: { error?: string }) => msg.error && onError(msg.error));
  worker.on('error', (err) => onError(err.message));
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.postMessage('stop');
      await exited;
    },
  };
}

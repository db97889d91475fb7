/**
 * SQLite through Prisma's better-sqlite3 adapter uses ONE connection. The
 * adapter serialises transactions with each other but not with plain queries,
 * so a query issued while another request's interactive transaction is open
 * runs *inside* it: it reads uncommitted rows, and if that transaction rolls
 * back, an already acknowledged write is rolled back with it (reproduced here).
 * This wrapper gives the connection one gate: a plain query waits for any open
 * transaction, and a transaction holds the gate until it commits or rolls back.
 */

type Release = () => void;

/** A FIFO async mutex. */
export class Gate {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<Release> {
    let release!: Release;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

interface Queryable {
  queryRaw(query: unknown): Promise<unknown>;
  executeRaw(query: unknown): Promise<number>;
}

interface Transaction extends Queryable {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

interface Adapter extends Queryable {
  executeScript(script: string): Promise<void>;
  startTransaction(isolationLevel?: unknown): Promise<Transaction>;
}

interface AdapterFactory {
  connect(): Promise<Adapter>;
}

function serializedTransaction(tx: Transaction, release: Release): Transaction {
  let released = false;
  const done = () => {
    if (!released) {
      released = true;
      release();
    }
  };
  return new Proxy(tx, {
    get(target, key, receiver) {
      if (key === 'commit' || key === 'rollback') {
        return async () => {
          try {
            await target[key]();
          } finally {
            done();
          }
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function serializedAdapter(adapter: Adapter, gate: Gate): Adapter {
  return new Proxy(adapter, {
    get(target, key, receiver) {
      if (key === 'queryRaw' || key === 'executeRaw' || key === 'executeScript') {
        return (arg: never) => gate.run(() => target[key](arg));
      }
      if (key === 'startTransaction') {
        return async (isolationLevel?: unknown) => {
          const release = await gate.acquire();
          try {
            return serializedTransaction(await target.startTransaction(isolationLevel), release);
          } catch (error) {
            release();
            throw error;
          }
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Wraps a driver adapter factory so every connection it makes is gated. */
export function serialized<F extends AdapterFactory>(factory: F, gate: Gate, onConnect?: (adapter: unknown) => void): F {
  return new Proxy(factory, {
    get(target, key, receiver) {
      if (key === 'connect') {
        return async () => {
          const adapter = await target.connect();
          onConnect?.(adapter);
          return serializedAdapter(adapter, gate);
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

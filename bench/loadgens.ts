import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { track } from './procs.ts';
import { ROOT } from './servers.ts';

/** The bench's handle on one load-generator process (bench/loadgen.ts). */
export class LoadGen {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly index: number,
  ) {
    child.on('message', (msg: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
      if (msg.id === undefined) return;
      const waiter = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.ok) waiter?.resolve(msg.result);
      else waiter?.reject(new Error(`loadgen ${index}: ${msg.error}`));
    });
    child.once('exit', (code, signal) => {
      this.exited = true;
      for (const w of this.pending.values()) w.reject(new Error(`loadgen ${index} exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  static start(index: number): Promise<LoadGen> {
    const child = track(
      fork(path.join(ROOT, 'bench/loadgen.ts'), [], {
        cwd: ROOT,
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, LOADGEN_INDEX: String(index) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`loadgen ${index} did not start`)), 30_000);
      child.once('message', () => {
        clearTimeout(timer);
        resolve(new LoadGen(child, index));
      });
      child.once('exit', (code) => reject(new Error(`loadgen ${index} exited with ${code} while starting`)));
    });
  }

  /** Runs a command in the load generator; every call has a deadline. */
  call<T>(cmd: string, args: unknown = {}, timeoutMs = 60_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`loadgen ${this.index} is not running`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`loadgen ${this.index}: ${cmd} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ id, cmd, args });
    });
  }

  stop(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

export async function startLoadGens(count: number, firstIndex = 0): Promise<LoadGen[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => LoadGen.start(firstIndex + i)));
}

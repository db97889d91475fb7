import type { Database } from 'better-sqlite3';
import type { Gate } from '../../db/serialized-adapter.ts';
import { isUniqueViolation } from '../errors.ts';
import { CLOSED, DUPLICATE, type Message, type NewMessage } from '../store.ts';
import { message, now, type Row } from './rows.ts';
import type { Statements } from './statements.ts';

type Appended = Message | typeof DUPLICATE | typeof CLOSED;

interface Queued {
  input: NewMessage;
  resolve(result: Appended): void;
  reject(error: unknown): void;
}

/**
 * Messages sent in the same turn of the event loop commit together: one
 * transaction, one write to the WAL, for all of them, which is most of what a
 * send costs. Each is a savepoint inside it, so one that fails (a retry's
 * duplicate clientMessageId) is rolled back alone and the others commit.
 */
export class GroupCommit {
  private queue: Queued[] = [];
  private readonly appendOne: (input: NewMessage) => Message | typeof CLOSED;
  private readonly appendAll: (inputs: NewMessage[]) => Array<Appended | Error>;

  constructor(
    db: Database,
    private readonly gate: Gate,
    private readonly statements: Statements,
  ) {
    this.appendOne = db.transaction((input: NewMessage) => this.write(input));
    this.appendAll = db.transaction((inputs: NewMessage[]) =>
      inputs.map((input) => {
        try {
          return this.appendOne(input);
        } catch (error) {
          if (isUniqueViolation(error)) return DUPLICATE;
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
  }

  /** Resolves once committed. */
  append(input: NewMessage): Promise<Appended> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => void this.commitQueued());
    });
  }

  private async commitQueued(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    try {
      const results = await this.gate.run(async () => this.appendAll(batch.map((queued) => queued.input)));
      batch.forEach((queued, i) => {
        const result = results[i] ?? CLOSED;
        if (result instanceof Error) queued.reject(result);
        else queued.resolve(result);
      });
    } catch (error) {
      for (const queued of batch) queued.reject(error);
    }
  }

  /** The seq rule (room-seq.ts), the log entry, the row and its Mention rows; CLOSED: the room takes no entries. */
  private write({ id, roomId, authorId, body, clientMessageId, mentionIds = [], mentionsRoom = false }: NewMessage): Message | typeof CLOSED {
    const taken = this.statements.takeNextSeq.get(roomId) as { lastSeq: number } | undefined;
    if (!taken) return CLOSED;
    const seq = taken.lastSeq;
    const at = now();
    this.statements.logEntry.run(roomId, seq, id, at);
    const row = this.statements.insert.get(id, roomId, seq, authorId, body, clientMessageId, at, JSON.stringify(mentionIds), mentionsRoom ? 1 : 0) as Row;
    for (const userId of mentionIds) this.statements.mention.run(id, userId, roomId, seq);
    return message(row);
  }
}

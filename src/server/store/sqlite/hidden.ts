import type { Database, Statement } from 'better-sqlite3';
import type { Db } from '../../db/client.ts';
import type { Gate } from '../../db/serialized-adapter.ts';
import { PrismaHidden } from '../prisma/hidden.ts';

/**
 * Every room stream opened asks which messages its member hid (usually none):
 * a prepared statement on Prisma's connection, under its gate, as the other
 * per-subscription reads are (store/sqlite/statements.ts), instead of ~250 µs
 * of Prisma per subscription.
 */
export class SqliteHidden extends PrismaHidden {
  private readonly inRoom: Statement;

  constructor(
    db: Db,
    connection: Database,
    private readonly gate: Gate,
  ) {
    super(db);
    this.inRoom = connection.prepare(`SELECT messageId FROM "HiddenMessage" WHERE userId = ? AND roomId = ?`).pluck();
  }

  override async messageIdsIn(userId: string, roomId: string, range?: { fromSeq: number; toSeq: number }): Promise<string[]> {
    if (range) return super.messageIdsIn(userId, roomId, range);
    return (await this.gate.run(async () => this.inRoom.all(userId, roomId))) as string[];
  }
}

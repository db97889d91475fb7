import type { Db } from '../../db/client.ts';
import type { Store } from '../store.ts';
import { PrismaAccounts } from './accounts.ts';
import { PrismaContacts } from './contacts.ts';
import { PrismaHidden } from './hidden.ts';
import { PrismaNotifications } from './notifications.ts';
import { PrismaPush } from './push.ts';
import { PrismaReactions } from './reactions.ts';
import { PrismaLinks } from './links.ts';
import { PrismaMemberships } from './memberships.ts';
import { PrismaMessages } from './messages.ts';
import { PrismaRoomLog, type Dialect } from './room-log.ts';
import { PrismaRooms } from './rooms.ts';
import { PrismaSessions } from './sessions.ts';

/** The store through Prisma: PostgreSQL in production, SQLite too (so its code runs in `npm test`). */
export function createPrismaStore(db: Db, dialect: Dialect): Store {
  return {
    accounts: new PrismaAccounts(db, dialect),
    sessions: new PrismaSessions(db),
    links: new PrismaLinks(db),
    rooms: new PrismaRooms(db, dialect),
    memberships: new PrismaMemberships(db, dialect),
    messages: new PrismaMessages(db, dialect),
    log: new PrismaRoomLog(db),
    notifications: new PrismaNotifications(db),
    contacts: new PrismaContacts(db),
    hidden: new PrismaHidden(db),
    reactions: new PrismaReactions(db, dialect),
    push: new PrismaPush(db),
    ping: async () => void (await db.$queryRawUnsafe('SELECT 1')),
    close: () => db.$disconnect(),
    prisma: db,
  };
}

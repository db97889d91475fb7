import type { Db } from '../../db/client.ts';
import type { NotificationStore } from '../notifications.ts';

export class PrismaNotifications implements NotificationStore {
  constructor(private readonly db: Db) {}
}

import type { Db } from '../../db/client.ts';
import { isUniqueViolation } from '../errors.ts';
import type { NewPushSubscription, PushStore, PushTarget } from '../push.ts';

const TARGET = {
  id: true,
  endpoint: true,
  p256dh: true,
  auth: true,
  failures: true,
  lastSuccessAt: true,
  session: { select: { revokedAt: true, expiresAt: true } },
} as const;

export class PrismaPush implements PushStore {
  constructor(private readonly db: Db) {}

  async keepSetting(key: string, value: string): Promise<string> {
    const kept = await this.db.serverSetting.findUnique({ where: { key } });
    if (kept) return kept.value;
    try {
      await this.db.serverSetting.create({ data: { key, value } });
      return value;
    } catch (error) {
      // Another instance wrote it between our read and our write: theirs is the one.
      if (!isUniqueViolation(error)) throw error;
      return (await this.db.serverSetting.findUniqueOrThrow({ where: { key } })).value;
    }
  }

  async subscribe(subscription: NewPushSubscription, cap: number): Promise<void> {
    const { id, endpoint, ...rest } = subscription;
    await this.db.$transaction(async (tx) => {
      await tx.pushSubscription.upsert({
        where: { endpoint },
        create: { id, endpoint, ...rest },
        // Fresh keys and owner, a fresh start: the old failures were another subscription's.
        update: { ...rest, createdAt: new Date(), failures: 0, lastSuccessAt: null },
      });
      const surplus = await tx.pushSubscription.findMany({
        where: { userId: subscription.userId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: cap,
        select: { id: true },
      });
      if (surplus.length > 0) await tx.pushSubscription.deleteMany({ where: { id: { in: surplus.map((s) => s.id) } } });
    });
  }

  async unsubscribe(userId: string, endpoint: string): Promise<boolean> {
    return (await this.db.pushSubscription.deleteMany({ where: { userId, endpoint } })).count > 0;
  }

  async targetsOf(userId: string, now: Date): Promise<{ preview: boolean; targets: PushTarget[]; stale: string[] } | null> {
    const user = await this.db.user.findUnique({ where: { id: userId }, select: { pushPreview: true, pushSubscriptions: { select: TARGET } } });
    if (!user) return null;
    const targets: PushTarget[] = [];
    const stale: string[] = [];
    for (const { session, ...target } of user.pushSubscriptions) {
      if (session && !session.revokedAt && session.expiresAt > now) targets.push(target);
      else stale.push(target.id);
    }
    return { preview: user.pushPreview, targets, stale };
  }

  async settingsOf(userId: string, device?: { endpoint: string; sessionId: string }) {
    const user = await this.db.user.findUnique({ where: { id: userId }, select: { pushPreview: true, _count: { select: { pushSubscriptions: true } } } });
    if (!user) return null;
    const thisDevice = device !== undefined && (await this.db.pushSubscription.count({ where: { userId, ...device } })) > 0;
    return { preview: user.pushPreview, subscriptions: user._count.pushSubscriptions, thisDevice };
  }

  async setPreview(userId: string, preview: boolean): Promise<boolean> {
    return (await this.db.user.updateMany({ where: { id: userId }, data: { pushPreview: preview } })).count > 0;
  }

  async remove(subscriptionId: string): Promise<void> {
    await this.db.pushSubscription.deleteMany({ where: { id: subscriptionId } });
  }

  async delivered(subscriptionId: string, at: Date): Promise<void> {
    await this.db.pushSubscription.updateMany({ where: { id: subscriptionId }, data: { lastSuccessAt: at, failures: 0 } });
  }

  async failed(subscriptionId: string): Promise<void> {
    await this.db.pushSubscription.updateMany({ where: { id: subscriptionId }, data: { failures: { increment: 1 } } });
  }
}

import crypto from 'node:crypto';
import { z } from 'zod';
import { pushSettings, setPushPreview, subscribePush, unsubscribePush } from '../../push/subscriptions.ts';
import { userProcedure } from '../procedures.ts';
import { router } from '../trpc.ts';
import { writeLimit } from '../write-limits.ts';

const accountChange = writeLimit('accountChanges');

const endpoint = z
  .string()
  .max(2048, 'a push endpoint can be at most 2048 characters')
  .refine((value) => URL.canParse(value) && new URL(value).protocol === 'https:', 'a push endpoint must be an https URL');

/** Unpadded base64url (as PushSubscription.toJSON gives) of exactly `bytes` bytes, `check`ed further if given. */
const key = (bytes: number, what: string, check: (raw: Buffer) => boolean = () => true) =>
  z
    .string()
    .max(128)
    .refine((value) => {
      if (!/^[A-Za-z0-9_-]+$/.test(value)) return false;
      const raw = Buffer.from(value, 'base64url');
      return raw.length === bytes && check(raw);
    }, `must be ${what}, base64url`);

/** A P-256 point that is on the curve: a key that is not would fail at every push, long after the subscribe said yes. */
const onCurve = (raw: Buffer) => {
  try {
    return raw[0] === 4 && crypto.ECDH.convertKey(raw, 'prime256v1').length === 65;
  } catch {
    return false;
  }
};

const settings = z.object({ publicKey: z.string(), preview: z.boolean(), subscriptions: z.number().int(), thisDevice: z.boolean() });

export const pushRouter = router({
  /** The VAPID application server key and my push settings: devices, whether pushes show message text, whether `endpoint` (this browser's) is one of mine. */
  settings: userProcedure
    .input(z.object({ endpoint: z.string().max(2048).optional() }).optional())
    .output(settings)
    .query(({ ctx, input }) => pushSettings(ctx.services, { userId: ctx.user.id, sessionId: ctx.session.id, endpoint: input?.endpoint })),

  publicKey: userProcedure.output(z.object({ publicKey: z.string() })).query(({ ctx }) => ({ publicKey: ctx.services.push.publicKey })),

  subscribe: userProcedure
    .use(accountChange)
    .input(z.object({ endpoint, keys: z.object({ p256dh: key(65, 'an uncompressed P-256 public key (65 bytes)', onCurve), auth: key(16, '16 bytes') }) }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) => subscribePush(ctx.services, { ...input, userId: ctx.user.id, sessionId: ctx.session.id, userAgent: ctx.userAgent })),

  unsubscribe: userProcedure
    .use(accountChange)
    .input(z.object({ endpoint }))
    .output(z.object({ removed: z.boolean() }))
    .mutation(({ ctx, input }) => unsubscribePush(ctx.services, { userId: ctx.user.id, endpoint: input.endpoint })),

  setPreview: userProcedure
    .use(accountChange)
    .input(z.object({ preview: z.boolean() }))
    .output(z.object({ preview: z.boolean() }))
    .mutation(({ ctx, input }) => setPushPreview(ctx.services, { userId: ctx.user.id, preview: input.preview })),
});

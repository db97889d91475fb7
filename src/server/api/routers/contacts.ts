import { z } from 'zod';
import { blockPerson, unblockPerson } from '../../chat/blocks.ts';
import { answerContact, contactLists, requestContact } from '../../chat/contacts.ts';
import { id, userProcedure } from '../procedures.ts';
import { router } from '../trpc.ts';
import { writeLimit } from '../write-limits.ts';

const contactChange = userProcedure.use(writeLimit('contactRequests')).input(z.object({ userId: id }));
const person = z.object({ userId: z.string(), username: z.string(), displayName: z.string() });
const request = person.extend({ at: z.string() });
const contactStatus = z.object({ status: z.enum(['pending', 'accepted']) });
const answered = z.object({ status: z.enum(['accepted', 'declined']) });

export const contactsRouter = router({
  /** Ask someone to be a contact (accepts their request if they asked first). */
  request: contactChange.output(contactStatus).mutation(({ ctx, input }) => requestContact(ctx.services, { userId: ctx.user.id, otherId: input.userId })),

  accept: contactChange
    .output(answered)
    .mutation(({ ctx, input }) => answerContact(ctx.services, { userId: ctx.user.id, otherId: input.userId, accept: true })),

  decline: contactChange
    .output(answered)
    .mutation(({ ctx, input }) => answerContact(ctx.services, { userId: ctx.user.id, otherId: input.userId, accept: false })),

  block: contactChange
    .output(z.object({ blocked: z.literal(true) }))
    .mutation(({ ctx, input }) => blockPerson(ctx.services, { userId: ctx.user.id, otherId: input.userId })),

  unblock: contactChange
    .output(z.object({ blocked: z.literal(false) }))
    .mutation(({ ctx, input }) => unblockPerson(ctx.services, { userId: ctx.user.id, otherId: input.userId })),

  list: userProcedure
    .output(z.object({ contacts: z.array(person), incoming: z.array(request), outgoing: z.array(request), blocked: z.array(person) }))
    .query(({ ctx }) => contactLists(ctx.services, { userId: ctx.user.id })),
});

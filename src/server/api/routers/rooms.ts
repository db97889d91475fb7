import { z } from 'zod';
import { addMembers, joinRoom, leaveRoom, removeMember } from '../../chat/joins.ts';
import { hideRoom } from '../../chat/hide.ts';
import { roomMembers } from '../../chat/memberships.ts';
import { browseRooms, createRoom, directRoom, listRooms } from '../../chat/rooms.ts';
import { NOTIFY_LEVELS } from '../../chat/notify-levels.ts';
import { setNotifyLevel } from '../../chat/room-notify.ts';
import { archiveAsMember, renameRoom, roomDetailsOf, setMemberRole, setTopic } from '../../chat/room-details.ts';
import { roomName, roomTopic } from '../inputs.ts';
import { id, roomMemberProcedure, userProcedure } from '../procedures.ts';
import { router } from '../trpc.ts';
import { writeLimit } from '../write-limits.ts';

const roomChange = writeLimit('roomChanges');
const userIds = z.array(id).max(100, 'at most 100 users at a time');

export const roomsRouter = router({
  create: userProcedure
    .use(roomChange)
    .input(z.object({ name: roomName, kind: z.enum(['open', 'closed']), memberIds: userIds.optional() }))
    .mutation(({ ctx, input }) => createRoom(ctx.services, { creatorId: ctx.user.id, ...input })),

  direct: userProcedure
    .use(roomChange)
    .input(z.object({ userIds: userIds.min(1) }))
    .mutation(({ ctx, input }) => directRoom(ctx.services, { callerId: ctx.user.id, userIds: input.userIds })),

  list: userProcedure.query(({ ctx }) => listRooms(ctx.services, { userId: ctx.user.id })),

  browse: userProcedure.query(({ ctx }) => browseRooms(ctx.services, { userId: ctx.user.id })),

  join: userProcedure
    .use(roomChange)
    .input(z.object({ roomId: id }))
    .mutation(({ ctx, input }) => joinRoom(ctx.services, { roomId: input.roomId, userId: ctx.user.id })),

  leave: roomMemberProcedure.use(roomChange).mutation(async ({ ctx }) => {
    await leaveRoom(ctx.services, { room: ctx.room, userId: ctx.user.id });
    return { ok: true as const };
  }),

  addMembers: roomMemberProcedure
    .use(roomChange)
    .input(z.object({ userIds: userIds.min(1) }))
    .mutation(({ ctx, input }) => addMembers(ctx.services, { room: ctx.room, actorId: ctx.user.id, userIds: input.userIds })),

  removeMember: roomMemberProcedure
    .use(roomChange)
    .input(z.object({ userId: id }))
    .mutation(async ({ ctx, input }) => {
      await removeMember(ctx.services, { room: ctx.room, actor: ctx.user, actorMembership: ctx.membership, userId: input.userId });
      return { ok: true as const };
    }),

  /** Delete a direct conversation for me (it comes back with the next message). */
  hide: roomMemberProcedure
    .use(roomChange)
    .output(z.object({ clearedSeq: z.number().int() }))
    .mutation(({ ctx }) => hideRoom(ctx.services, { access: ctx, userId: ctx.user.id })),

  members: roomMemberProcedure.query(({ ctx }) => roomMembers(ctx.services, { roomId: ctx.room.id })),

  /** The room as its page shows it: name, topic, kind, archived, my role, member count. */
  get: roomMemberProcedure.query(({ ctx }) => roomDetailsOf(ctx.services, { roomId: ctx.room.id, userId: ctx.user.id })),

  rename: roomMemberProcedure
    .use(roomChange)
    .input(z.object({ name: roomName }))
    .mutation(({ ctx, input }) => renameRoom(ctx.services, { access: ctx, actor: ctx.user, name: input.name })),

  setTopic: roomMemberProcedure
    .use(roomChange)
    .input(z.object({ topic: roomTopic }))
    .mutation(({ ctx, input }) => setTopic(ctx.services, { access: ctx, actor: ctx.user, topic: input.topic })),

  archive: roomMemberProcedure
    .use(roomChange)
    .input(z.object({ archived: z.boolean() }))
    .mutation(({ ctx, input }) => archiveAsMember(ctx.services, { access: ctx, actor: ctx.user, archived: input.archived })),

  /** My notification level here (all | mentions | nothing); my other devices hear `room.changed`. */
  setNotify: roomMemberProcedure
    .use(roomChange)
    .input(z.object({ level: z.enum(NOTIFY_LEVELS) }))
    .output(z.object({ roomId: z.string(), notify: z.enum(NOTIFY_LEVELS) }))
    .mutation(({ ctx, input }) => setNotifyLevel(ctx.services, { room: ctx.room, userId: ctx.user.id, level: input.level })),

  setRole: roomMemberProcedure
    .use(roomChange)
    .input(z.object({ userId: id, role: z.enum(['admin', 'member']) }))
    .mutation(({ ctx, input }) => setMemberRole(ctx.services, { access: ctx, actor: ctx.user, userId: input.userId, role: input.role })),
});

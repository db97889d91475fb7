import type { PublicMessage } from '../../src/server/chat/room-events.ts';

/** A message's thread and reaction fields as a plain root nobody reacted to: for fixtures of PublicMessage. */
export const plainRoot: Pick<PublicMessage, 'replyToId' | 'inRoom' | 'replyCount' | 'lastReplyAt' | 'threadIndex' | 'reactions'> = {
  replyToId: null,
  inRoom: true,
  replyCount: 0,
  lastReplyAt: null,
  threadIndex: null,
  reactions: [],
};

import type { Config } from '../app/config.ts';
import { AppError } from '../lib/app-error.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import { CLOSED, type Message, type Store } from '../store/store.ts';
import { roomClosed } from './memberships.ts';
import type { PublicMessage } from './room-events.ts';
import { toPublicMessage } from './serialize.ts';

type Deps = {
  store: Pick<Store, 'reactions'>;
  bus: EventBus;
  config: Pick<Config, 'REACTIONS_PER_MESSAGE' | 'REACTIONS_PER_USER_PER_MESSAGE'>;
};

// One RGI emoji (a flag, a keycap, a ZWJ sequence, a skin tone): what a picker offers, nothing else.
const ONE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

function reactionEmoji(emoji: string): string {
  if (emoji.length > 32 || !ONE_EMOJI.test(emoji)) {
    const problem = 'A reaction is one emoji';
    throw new AppError('BAD_REQUEST', problem, { issues: [{ path: ['emoji'], message: problem, code: 'custom' }] });
  }
  return emoji;
}

/**
 * Adds (`on`) or takes back my reaction: the row and its reaction.added /
 * reaction.removed log entry commit together, then the event is published.
 * Asking for what is so already changes nothing and logs nothing.
 */
export async function reactToMessage(deps: Deps, { access, userId, emoji, on }: { access: { message: Message }; userId: string; emoji: string; on: boolean }) {
  const { message } = access;
  if (message.deletedAt) throw new AppError('NOT_FOUND', 'This message was deleted');
  const change = { messageId: message.id, roomId: message.roomId, userId, emoji: reactionEmoji(emoji) };
  const { REACTIONS_PER_MESSAGE: maxEmoji, REACTIONS_PER_USER_PER_MESSAGE: maxPerUser } = deps.config;
  const seq = on ? await deps.store.reactions.add(change, { maxEmoji, maxPerUser }) : await deps.store.reactions.remove(change);
  if (seq === CLOSED) throw roomClosed();
  if (seq === 'deleted') throw new AppError('NOT_FOUND', 'This message was deleted');
  if (seq === 'too-many-emoji') throw new AppError('BAD_REQUEST', `A message can have at most ${maxEmoji} different reactions`);
  if (seq === 'too-many-mine') throw new AppError('BAD_REQUEST', `You can react to one message with at most ${maxPerUser} emoji`);
  if (typeof seq === 'number') {
    const type = on ? 'reaction.added' : 'reaction.removed';
    await deps.bus.publish(channels.room(message.roomId), { type, seq, ...change });
  }
  const reactions = (await deps.store.reactions.of([message.id])).get(message.id) ?? [];
  return { changed: typeof seq === 'number', reactions };
}

/** Messages as the API shows them, each with its reactions: one store query for them all. */
export async function withReactions(deps: { store: Pick<Store, 'reactions'> }, messages: Message[]): Promise<PublicMessage[]> {
  const reactions = await deps.store.reactions.of(messages.filter((m) => !m.deletedAt).map((m) => m.id));
  return messages.map((message) => toPublicMessage(message, reactions.get(message.id)));
}

import { mentionedNames } from '../../shared/mentions.ts';
import type { Config } from '../app/config.ts';
import { AppError } from '../lib/app-error.ts';
import type { Mentions, Store } from '../store/store.ts';

type Deps = { store: Pick<Store, 'memberships'>; config: Pick<Config, 'ROOM_MENTION_ADMIN_ONLY_ABOVE'> };

/** Who may say `@room`: room admins and Hearth admins always, anyone in a room of at most ROOM_MENTION_ADMIN_ONLY_ABOVE members. */
export interface Speaker {
  /** The Hearth role (admin | member). */
  role: string;
  /** The role in this room. */
  roomRole: string;
}

export const NO_MENTIONS: Mentions = { mentionIds: [], mentionsRoom: false };

/**
 * What a message's text mentions, resolved against the room's members now:
 * an `@name` that names no member (or nobody at all) mentions nobody, and the
 * page says so (it compares the text's names with `message.mentions`).
 * `@room` by someone who may not use it here is FORBIDDEN, before anything is
 * written. Costs nothing for a text without `@`, and one indexed query (a
 * prepared statement on SQLite) for one with names; `@room` by a non-admin
 * also counts the members.
 */
export async function resolveMentions(
  deps: Deps,
  { roomId, body, speaker, hadRoom = false }: { roomId: string; body: string; speaker: Speaker; hadRoom?: boolean },
): Promise<Mentions> {
  const { room, names } = mentionedNames(body);
  if (!room && names.length === 0) return NO_MENTIONS;
  // An edit may keep the @room its message already had, even if the room has grown since.
  if (room && !hadRoom) await requireMayMentionRoom(deps, { roomId, speaker });
  const mentionIds = names.length > 0 ? await deps.store.memberships.namedAmong(roomId, names) : [];
  return { mentionIds: [...new Set(mentionIds)].sort(), mentionsRoom: room };
}

async function requireMayMentionRoom(deps: Deps, { roomId, speaker }: { roomId: string; speaker: Speaker }) {
  if (speaker.roomRole === 'admin' || speaker.role === 'admin') return;
  const limit = deps.config.ROOM_MENTION_ADMIN_ONLY_ABOVE;
  const members = (await deps.store.memberships.memberIds(roomId)).length;
  if (members <= limit) return;
  const problem = `Only room admins can mention @room in a room of more than ${limit} members (this one has ${members})`;
  throw new AppError('FORBIDDEN', problem);
}

import type { Named } from './people.ts';
import type { RoomNotice } from './timeline.ts';

/** A system row as words: who did it (if named), and what. The UI renders `actor` with its @username. */
export interface NoticeWords {
  actor: Named | null;
  text: string;
  /** The person acted on, rendered after `text` ("added" Carol). */
  subject: Named | null;
  /** After the subject, if anything ("to #x"). */
  rest: string;
}

/**
 * "Bob joined", "Alice added Carol", "Carol left", "Alice removed Bob",
 * "Alice renamed the room to #x", "Alice set the topic: …", "Alice archived the room".
 */
export function noticeWords(notice: RoomNotice, personOf: (userId: string) => Named): NoticeWords {
  const actor = notice.actorId ? personOf(notice.actorId) : null;
  switch (notice.type) {
    case 'member.joined':
      return notice.actorId
        ? { actor, text: 'added', subject: personOf(notice.userId), rest: '' }
        : { actor: personOf(notice.userId), text: 'joined', subject: null, rest: '' };
    case 'member.left':
      return notice.actorId
        ? { actor, text: 'removed', subject: personOf(notice.userId), rest: '' }
        : { actor: personOf(notice.userId), text: 'left', subject: null, rest: '' };
    case 'room.updated': {
      const change = notice.change;
      if ('name' in change) return { actor, text: `renamed the room to #${change.name}`, subject: null, rest: '' };
      if ('topic' in change) return { actor, text: change.topic ? `set the topic: ${change.topic}` : 'cleared the topic', subject: null, rest: '' };
      if ('archived' in change) return { actor, text: change.archived ? 'archived the room' : 'unarchived the room', subject: null, rest: '' };
      return { actor, text: 'made', subject: personOf(change.role.userId), rest: change.role.role === 'admin' ? 'a room admin' : 'a member' };
    }
  }
}

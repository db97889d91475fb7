/**
 * What a notification says, in words: the same for the feed, a desktop
 * notification and a push message, so every device tells it alike.
 */
export interface NotificationWords {
  kind: string;
  roomName: string | null;
  roomKind: string | null;
  actor: { displayName: string } | null;
  excerpt: string | null;
  count: number;
}

const EXCERPT = 140;

/** The start of a message, on one line, at most 140 characters (code points). */
export function excerptOf(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  const points = [...line];
  return points.length > EXCERPT ? `${points.slice(0, EXCERPT - 1).join('')}…` : line;
}

export function notificationTitle(n: NotificationWords): string {
  const who = n.actor?.displayName ?? 'Someone';
  const room = n.roomKind === 'direct' || !n.roomName ? '' : ` in #${n.roomName}`;
  switch (n.kind) {
    case 'mention':
      return `${who} mentioned you${room}`;
    case 'direct':
      return n.count > 1 ? `${n.count} new messages from ${who}` : `New message from ${who}`;
    case 'message':
      return n.count > 1 ? `${n.count} new messages${room}` : `New message${room}`;
    case 'room.added':
      return `${who} added you ${room ? `to #${n.roomName}` : 'to a conversation'}`;
    case 'contact.request':
      return `${who} wants to add you as a contact`;
    case 'contact.accepted':
      return `${who} accepted your contact request`;
    default:
      return 'Hearth';
  }
}

/**
 * What a push says when the person chose no previews: the kind of thing that
 * happened, never who, where or what.
 */
export function notificationPrivateText(kind: string): string {
  if (kind === 'room.added') return 'You were added to a conversation';
  if (kind === 'contact.request') return 'New contact request';
  if (kind === 'contact.accepted') return 'A contact request was accepted';
  return 'New message';
}

/** The message's text, with who wrote it where the title does not say. */
export function notificationBody(n: NotificationWords): string {
  if (n.excerpt === null) return '';
  return n.kind === 'message' && n.actor ? `${n.actor.displayName}: ${n.excerpt}` : n.excerpt;
}

/** Beside a room's unread badge: how many of its unread messages mention me (or @room). */
export function MentionBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span className="badge mention-badge" data-testid="mention-badge" aria-label={`${count} mention${count === 1 ? '' : 's'}`}>
      @{count > 99 ? '99+' : count}
    </span>
  );
}

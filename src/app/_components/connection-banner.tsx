'use client';
import { useConnectionStatus, useOutboxItems } from '../../trpc/react.tsx';

const TEXT = {
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting…',
  offline: 'You are offline.',
} as const;

/** Says when live updates are not flowing, and how many sends are waiting. */
export function ConnectionBanner() {
  const status = useConnectionStatus();
  const waiting = useOutboxItems().filter((item) => item.status !== 'failed').length;
  if (status === 'online') return null;
  const queued = waiting ? ` ${waiting} message${waiting === 1 ? '' : 's'} will be sent when you are back online.` : '';
  return (
    <div className={`banner banner-${status}`} role="status" aria-live="polite" data-testid="connection-banner" data-status={status}>
      {TEXT[status]}
      {queued}
    </div>
  );
}

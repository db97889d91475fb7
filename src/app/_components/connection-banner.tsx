'use client';
import { useEffect, useState } from 'react';
import { useConnectionStatus, useOutboxItems } from '../../trpc/react.tsx';

const TEXT = {
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting…',
  offline: 'You are offline.',
} as const;

/** A socket usually opens in well under this: no banner flashing on every page load. */
const GRACE_MS = 800;

/** Says when live updates are not flowing, and how many sends are waiting. */
export function ConnectionBanner() {
  const status = useConnectionStatus();
  const waiting = useOutboxItems().filter((item) => item.status !== 'failed').length;
  // The status that has lasted past the grace period; any change of status starts the wait again.
  const [lateFor, setLateFor] = useState<typeof status | null>(null);
  useEffect(() => {
    if (status === 'online') return;
    const timer = setTimeout(() => setLateFor(status), GRACE_MS);
    return () => {
      clearTimeout(timer);
      setLateFor(null);
    };
  }, [status]);

  if (status === 'online' || (status !== 'offline' && lateFor !== status)) return null;
  const queued = waiting ? ` ${waiting} message${waiting === 1 ? '' : 's'} will be sent when you are back online.` : '';
  return (
    <div className={`banner banner-${status}`} role="status" aria-live="polite" data-testid="connection-banner" data-status={status}>
      {TEXT[status]}
      {queued}
    </div>
  );
}

'use client';
import { useEffect, useState, type ReactNode } from 'react';
import { REPLACED_REASON } from '../../shared/wire.ts';
import { refusalText, type ConnectionNotice } from '../../trpc/connection.ts';
import { useConnectionNotice, useConnectionStatus, useHearth, useOutboxItems } from '../../trpc/react.tsx';

const TEXT = {
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting…',
  offline: 'You are offline.',
} as const;

/** A socket usually opens in well under this: no banner flashing on every page load. */
const GRACE_MS = 800;

/**
 * Says when live updates are not flowing, why when the server said, and how
 * many sends are waiting. It is a row of the page's layout (app-shell.css),
 * never over it: the room header below it stays in view.
 */
export function ConnectionBanner() {
  const status = useConnectionStatus();
  const notice = useConnectionNotice();
  const { reconnectHere } = useHearth();
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

  // What the server said is shown at once; the rest only once it lasts.
  const atOnce = status === 'offline' || status === 'refused' || status === 'replaced';
  if (status === 'online' || (!atOnce && lateFor !== status)) return null;
  const queued = waiting ? ` ${waiting} message${waiting === 1 ? '' : 's'} will be sent when you are back online.` : '';
  let text: ReactNode;
  if (status === 'refused') text = notice ? <Countdown key={notice.retryAt} notice={notice} /> : TEXT.connecting;
  else if (status === 'replaced') {
    text = (
      <>
        {REPLACED_REASON}.{' '}
        <button type="button" className="small banner-action" onClick={reconnectHere}>
          Use Hearth in this tab
        </button>
      </>
    );
  } else text = TEXT[status];
  return (
    <div className={`banner banner-${status}`} role="status" aria-live="polite" data-testid="connection-banner" data-status={status}>
      {text}
      {status === 'replaced' ? '' : queued}
    </div>
  );
}

/**
 * The refusal's words and the seconds to the next attempt, ticking. Screen
 * readers get the sentence once, not a new announcement every second.
 */
function Countdown({ notice }: { notice: ConnectionNotice }) {
  const [now, setNow] = useState(() => Date.now());
  const [first] = useState(() => refusalText(notice, Date.now()));
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      <span className="sr-only">{first}</span>
      <span aria-hidden="true" data-testid="connection-refusal">
        {refusalText(notice, now)}
      </span>
    </>
  );
}

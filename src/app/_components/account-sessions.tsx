'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../trpc/react.tsx';
import { useSessionStore } from './app.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { ErrorNote } from './error-note.tsx';
import { formatDateTime } from './format.ts';

/** My sessions: where I am signed in, with log out per session, everywhere else, or everywhere. */
export function AccountSessions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSessionStore();
  const [confirmAll, setConfirmAll] = useState(false);
  const sessions = useQuery(trpc.auth.sessions.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() });
  const end = useMutation(
    trpc.auth.endSessions.mutationOptions({
      onSuccess: ({ endedThis }) => (endedThis ? session.ended() : refresh()),
    }),
  );
  const others = sessions.data?.filter((s) => !s.current).length ?? 0;

  return (
    <section className="account-section" aria-labelledby="account-sessions">
      <h2 id="account-sessions">Sessions</h2>
      <p className="muted small">Where your account is signed in. Logging a session out closes its open pages at once.</p>
      <ErrorNote error={sessions.error ?? end.error} />
      <div className="table-wrap">
        <table data-testid="sessions">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {sessions.data?.map((s) => (
              <tr key={s.id} data-testid="session-row" data-current={s.current}>
                <td>
                  {s.device}
                  {s.current && <strong className="this-device"> · this device</strong>}
                </td>
                <td>{formatDateTime(s.createdAt)}</td>
                <td>{s.current ? 'now' : formatDateTime(s.lastSeenAt)}</td>
                <td>
                  <button
                    type="button"
                    className="small"
                    disabled={end.isPending}
                    onClick={() => end.mutate({ sessionId: s.id })}
                    aria-label={s.current ? 'Log out this device' : `Log out ${s.device}, signed in ${formatDateTime(s.createdAt)}`}
                  >
                    Log out
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="account-actions">
        <button type="button" disabled={end.isPending || others === 0} onClick={() => end.mutate({ which: 'others' })}>
          Log out everywhere else
        </button>
        <button type="button" className="danger" onClick={() => setConfirmAll(true)}>
          Log out everywhere
        </button>
      </div>
      {confirmAll && (
        <ConfirmDialog
          title="Log out everywhere?"
          confirm="Log out everywhere"
          onConfirm={() => end.mutateAsync({ which: 'all' })}
          onClose={() => setConfirmAll(false)}
        >
          <p>Every session of your account ends, this one too. You will need your password to log in again.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

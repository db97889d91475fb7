'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../server/api/root.ts';
import { useHearth, useTRPC } from '../../trpc/react.tsx';
import { AdminCreateUser, LinkDialog } from './admin-user-dialogs.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { ErrorNote } from './error-note.tsx';
import { PersonName } from './person-name.tsx';

type User = inferRouterOutputs<AppRouter>['admin']['users']['list'][number];
/** What waits for the admin's confirmation, or the link to hand over. */
type Pending =
  | { kind: 'role'; user: User; role: 'admin' | 'member' }
  | { kind: 'deactivate'; user: User }
  | { kind: 'create' }
  | { kind: 'link'; title: string; about: string; token: string };

export function AdminUsers() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me } = useHearth();
  const [query, setQuery] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  // Fresh each time the tab is shown (people register, come online meanwhile).
  const users = useQuery({
    ...trpc.admin.users.list.queryOptions({ query: query.trim() || undefined }),
    placeholderData: (previous) => previous,
    refetchOnMount: 'always',
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
  const setRole = useMutation(trpc.admin.users.setRole.mutationOptions({ onSettled: refresh }));
  const deactivate = useMutation(trpc.admin.users.deactivate.mutationOptions({ onSettled: refresh }));
  const reactivate = useMutation(trpc.admin.users.reactivate.mutationOptions({ onSettled: refresh }));
  const resetLink = useMutation(trpc.admin.users.resetLink.mutationOptions());
  const error = reactivate.error ?? resetLink.error ?? users.error;
  const close = () => setPending(null);
  const issueReset = (user: User) =>
    resetLink.mutate(
      { userId: user.id },
      {
        onSuccess: ({ token, expiresAt }) =>
          setPending({
            kind: 'link',
            title: `Password-reset link for @${user.username}`,
            about: `Give this link to ${user.displayName} yourself. It works once, until ${new Date(expiresAt).toLocaleString()}, and logs out all their sessions when used.`,
            token,
          }),
      },
    );

  return (
    <>
      <div className="admin-toolbar">
        <label>
          Search users
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name or username" />
        </label>
        <button type="button" onClick={() => setPending({ kind: 'create' })}>
          Create account
        </button>
      </div>
      <ErrorNote error={error} />
      <div className="table-wrap">
        <table data-testid="admin-users">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.map((user) => (
              <tr key={user.id} data-testid="admin-user-row" data-username={user.username}>
                <td>
                  <strong>
                    <PersonName person={user} />
                  </strong>
                </td>
                <td>
                  <select
                    aria-label={`Role of ${user.username}`}
                    value={user.role}
                    disabled={setRole.isPending}
                    onChange={(e) => setPending({ kind: 'role', user, role: e.target.value === 'admin' ? 'admin' : 'member' })}
                  >
                    <option value="member">member</option>
                    <option value="admin">admin</option>
                  </select>
                </td>
                <td data-testid="user-status">{user.deactivated ? 'deactivated' : user.online ? 'online' : 'offline'}</td>
                <td className="row-actions">
                  {user.deactivated ? (
                    <button type="button" className="small" onClick={() => reactivate.mutate({ userId: user.id })} aria-label={`Reactivate ${user.username}`}>
                      Reactivate
                    </button>
                  ) : (
                    <>
                      <button
                        type="button"
                        className="small"
                        disabled={resetLink.isPending}
                        onClick={() => issueReset(user)}
                        aria-label={`Password-reset link for ${user.username}`}
                      >
                        Reset link
                      </button>
                      <button
                        type="button"
                        className="danger small"
                        disabled={user.id === me.id}
                        onClick={() => setPending({ kind: 'deactivate', user })}
                        aria-label={`Deactivate ${user.username}`}
                      >
                        Deactivate
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {users.data?.length === 0 && <p className="muted">No users match.</p>}
      {pending?.kind === 'role' && (
        <ConfirmDialog
          title={pending.role === 'admin' ? `Make @${pending.user.username} an admin?` : `Make @${pending.user.username} a member?`}
          confirm={pending.role === 'admin' ? 'Make admin' : 'Make member'}
          onConfirm={() => setRole.mutateAsync({ userId: pending.user.id, role: pending.role })}
          onClose={close}
        >
          <p>
            {pending.role === 'admin'
              ? `${pending.user.displayName} will manage users, invitations and rooms, on their open pages at once.`
              : `${pending.user.displayName} loses admin rights at once, on every open page.`}
          </p>
        </ConfirmDialog>
      )}
      {pending?.kind === 'deactivate' && (
        <ConfirmDialog
          title={`Deactivate @${pending.user.username}?`}
          confirm="Deactivate"
          onConfirm={() => deactivate.mutateAsync({ userId: pending.user.id })}
          onClose={close}
        >
          <p>{pending.user.displayName} is logged out everywhere at once and cannot log in until reactivated. Their messages stay.</p>
        </ConfirmDialog>
      )}
      {pending?.kind === 'create' && (
        <AdminCreateUser
          onClose={close}
          onCreated={(created) => {
            void refresh();
            if (!created.setPassword) return close();
            setPending({
              kind: 'link',
              title: `Account @${created.user.username} created`,
              about: `Give this one-time link to ${created.user.displayName}: it lets them choose their password, until ${new Date(created.setPassword.expiresAt).toLocaleString()}.`,
              token: created.setPassword.token,
            });
          }}
        />
      )}
      {pending?.kind === 'link' && <LinkDialog title={pending.title} about={pending.about} kind="reset" token={pending.token} onClose={close} />}
    </>
  );
}

'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useHearth, useTRPC } from '../../trpc/react.tsx';
import { ErrorNote } from './error-note.tsx';
import { PersonName } from './person-name.tsx';

export function AdminUsers() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me } = useHearth();
  const [query, setQuery] = useState('');
  const users = useQuery({ ...trpc.admin.users.list.queryOptions({ query: query.trim() || undefined }), placeholderData: (previous) => previous });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
  const setRole = useMutation(trpc.admin.users.setRole.mutationOptions({ onSettled: refresh }));
  const deactivate = useMutation(trpc.admin.users.deactivate.mutationOptions({ onSettled: refresh }));
  const reactivate = useMutation(trpc.admin.users.reactivate.mutationOptions({ onSettled: refresh }));
  const error = setRole.error ?? deactivate.error ?? reactivate.error ?? users.error;

  return (
    <>
      <label>
        Search users
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name or username" />
      </label>
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
                    onChange={(e) => setRole.mutate({ userId: user.id, role: e.target.value === 'admin' ? 'admin' : 'member' })}
                  >
                    <option value="member">member</option>
                    <option value="admin">admin</option>
                  </select>
                </td>
                <td data-testid="user-status">{user.deactivated ? 'deactivated' : user.online ? 'online' : 'offline'}</td>
                <td>
                  {user.deactivated ? (
                    <button type="button" className="small" onClick={() => reactivate.mutate({ userId: user.id })} aria-label={`Reactivate ${user.username}`}>
                      Reactivate
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="danger small"
                      disabled={user.id === me.id}
                      onClick={() => deactivate.mutate({ userId: user.id })}
                      aria-label={`Deactivate ${user.username}`}
                    >
                      Deactivate
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {users.data?.length === 0 && <p className="muted">No users match.</p>}
    </>
  );
}

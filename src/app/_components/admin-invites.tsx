'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../trpc/react.tsx';
import { CopyLink } from './admin-user-dialogs.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { ErrorNote } from './error-note.tsx';
import { formatDateTime } from './format.ts';

const EXPIRY = [
  [1, '1 hour'],
  [24, '1 day'],
  [168, '7 days'],
  [720, '30 days'],
] as const;

const STATE = { active: 'active', used: 'used up', expired: 'expired', revoked: 'revoked' } as const;

/** Invitation links: create (expiry, uses), copy the new link, see uses left, revoke. */
export function AdminInvites() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  // Fresh each time the tab is shown: uses are taken by other people meanwhile.
  const invites = useQuery({ ...trpc.admin.invites.list.queryOptions(), refetchOnMount: 'always' });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.invites.list.queryKey() });
  const create = useMutation(trpc.admin.invites.create.mutationOptions({ onSuccess: ({ token }) => setCreated(token), onSettled: refresh }));
  const revoke = useMutation(trpc.admin.invites.revoke.mutationOptions({ onSettled: refresh }));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setCreated(null);
    create.mutate({ expiresInHours: Number(form.get('expiresInHours')), maxUses: Number(form.get('maxUses')) });
  };

  return (
    <>
      <form className="invite-form" onSubmit={submit} aria-label="New invitation">
        <label>
          Expires after
          <select name="expiresInHours" defaultValue="168">
            {EXPIRY.map(([hours, label]) => (
              <option key={hours} value={hours}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Uses
          <input name="maxUses" type="number" min={1} max={1000} step={1} defaultValue={1} required />
        </label>
        <button type="submit" disabled={create.isPending}>
          Create invitation link
        </button>
      </form>
      <ErrorNote error={create.error ?? invites.error} />
      {created && <CopyLink about="Send this link to the people you invite. Only its hash is stored: it is shown this once." kind="invite" token={created} />}
      <div className="table-wrap">
        <table data-testid="admin-invites">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Uses left</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {invites.data?.map((invite) => (
              <tr key={invite.id} data-testid="invite-row" data-state={invite.state}>
                <td>{formatDateTime(invite.createdAt)}</td>
                <td>{formatDateTime(invite.expiresAt)}</td>
                <td>
                  {invite.usesLeft} of {invite.maxUses}
                </td>
                <td>{STATE[invite.state]}</td>
                <td>
                  {invite.state === 'active' && (
                    <button
                      type="button"
                      className="danger small"
                      onClick={() => setRevoking(invite.id)}
                      aria-label={`Revoke the invitation created ${formatDateTime(invite.createdAt)}`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {invites.data?.length === 0 && <p className="muted">No invitations yet.</p>}
      {revoking && (
        <ConfirmDialog
          title="Revoke this invitation?"
          confirm="Revoke"
          onConfirm={() => revoke.mutateAsync({ inviteId: revoking })}
          onClose={() => setRevoking(null)}
        >
          <p>Nobody can register with this link any more. Accounts already made with it stay.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

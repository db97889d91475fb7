'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../trpc/react.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { ErrorNote } from './error-note.tsx';
import { formatDateTime } from './format.ts';
import { PeopleList } from './person-name.tsx';

export function AdminRooms() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<{ id: string; label: string } | null>(null);
  // Fresh each time the tab is shown: rooms change under it.
  const rooms = useQuery({ ...trpc.admin.rooms.list.queryOptions(), refetchOnMount: 'always' });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.rooms.list.queryKey() });
  const archive = useMutation(trpc.admin.rooms.archive.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.admin.rooms.delete.mutationOptions({ onSettled: refresh }));
  const error = archive.error ?? rooms.error;

  return (
    <>
      <ErrorNote error={error} />
      <div className="table-wrap">
        <table data-testid="admin-rooms">
          <thead>
            <tr>
              <th scope="col">Room</th>
              <th scope="col">Members</th>
              <th scope="col">Messages</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rooms.data?.map((room) => {
              const label = room.kind === 'direct' ? 'Direct message' : room.name;
              return (
                <tr key={room.id} data-testid="admin-room-row" data-room-name={room.name}>
                  <td>
                    <strong>{label}</strong> <span className="muted">{room.kind}</span>
                    {room.archived && <span className="tag">archived</span>}
                    {room.directMembers && (
                      <div className="small" data-testid="direct-members">
                        <PeopleList people={room.directMembers} />
                      </div>
                    )}
                  </td>
                  <td>{room.memberCount}</td>
                  <td>{room.messageCount}</td>
                  <td>{formatDateTime(room.createdAt)}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className="small"
                      onClick={() => archive.mutate({ roomId: room.id, archived: !room.archived })}
                      aria-label={`${room.archived ? 'Unarchive' : 'Archive'} ${label}`}
                    >
                      {room.archived ? 'Unarchive' : 'Archive'}
                    </button>
                    <button type="button" className="danger small" onClick={() => setConfirming({ id: room.id, label })} aria-label={`Delete ${label}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rooms.data?.length === 0 && <p className="muted">No rooms yet.</p>}
      {confirming && (
        <ConfirmDialog
          title="Delete this room?"
          confirm="Delete for good"
          onConfirm={() => remove.mutateAsync({ roomId: confirming.id })}
          onClose={() => setConfirming(null)}
        >
          <p>
            <strong>{confirming.label}</strong> and all its messages will be gone for everyone. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../trpc/react.tsx';
import { ErrorNote } from './error-note.tsx';
import { formatDateTime } from './format.ts';

export function AdminRooms() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<string | null>(null);
  const rooms = useQuery(trpc.admin.rooms.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.rooms.list.queryKey() });
  const archive = useMutation(trpc.admin.rooms.archive.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.admin.rooms.delete.mutationOptions({ onSettled: refresh }));
  const error = archive.error ?? remove.error ?? rooms.error;

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
                    {confirming === room.id ? (
                      <>
                        <button
                          type="button"
                          className="danger small"
                          onClick={() => remove.mutate({ roomId: room.id })}
                          aria-label={`Confirm delete ${label}`}
                        >
                          Delete for good
                        </button>
                        <button type="button" className="ghost small" onClick={() => setConfirming(null)}>
                          Cancel
                        </button>
                      </>
                    ) : (
                      <button type="button" className="danger small" onClick={() => setConfirming(room.id)} aria-label={`Delete ${label}`}>
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rooms.data?.length === 0 && <p className="muted">No rooms yet.</p>}
    </>
  );
}

'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useHearth, useTRPC, useTRPCClient } from './react.tsx';
import { refresh } from './refresh.ts';
import type { Member } from './use-rooms.ts';
import { useDebounced } from './use-debounced.ts';

/**
 * What the room panel does: the room's members and details, people to add
 * (users.search, without those already in), and each change a member or a
 * room admin may make. The stream brings every change back (room.updated,
 * member.*), so these only refresh what the caller's own page shows at once.
 */
export function useRoomPanel(roomId: string, members: readonly Member[]) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const { me } = useHearth();
  const [query, setQuery] = useState('');
  const search = useDebounced(query.trim(), 200);
  const users = useQuery(trpc.users.search.queryOptions({ query: search }, { enabled: search.length > 0 }));
  const memberIds = new Set(members.map((m) => m.userId));
  const candidates = users.data?.filter((user) => !memberIds.has(user.id)) ?? [];

  const changed = () => {
    void refresh(queryClient, trpc.rooms.members.queryKey({ roomId }));
    void refresh(queryClient, trpc.rooms.get.queryKey({ roomId }));
    void refresh(queryClient, trpc.rooms.list.queryKey());
  };
  const add = useMutation(
    trpc.rooms.addMembers.mutationOptions({
      onSuccess: () => {
        setQuery('');
        changed();
      },
    }),
  );
  const details = useMutation({
    mutationFn: (change: { name: string } | { topic: string }) =>
      'name' in change ? client.rooms.rename.mutate({ roomId, name: change.name }) : client.rooms.setTopic.mutate({ roomId, topic: change.topic }),
    onSuccess: changed,
  });

  const myRole = members.find((m) => m.userId === me.id)?.role ?? 'member';
  return {
    meId: me.id,
    /** Room admins (and Hearth admins) manage the room. */
    canManage: myRole === 'admin' || me.role === 'admin',
    query,
    setQuery,
    searching: search.length > 0,
    candidates,
    searchError: users.error,
    add: (userId: string) => add.mutate({ roomId, userIds: [userId] }),
    addError: add.error,
    adding: add.isPending,
    saveDetails: (change: { name: string } | { topic: string }) => details.mutateAsync(change),
    detailsError: details.error,
    saving: details.isPending,
    remove: (userId: string) => client.rooms.removeMember.mutate({ roomId, userId }).then(changed),
    setRole: (userId: string, role: 'admin' | 'member') => client.rooms.setRole.mutate({ roomId, userId, role }).then(changed),
    leave: () => client.rooms.leave.mutate({ roomId }).then(changed),
    archive: (archived: boolean) => client.rooms.archive.mutate({ roomId, archived }).then(changed),
  };
}

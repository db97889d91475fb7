'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { defaultNotifyLevel, NOTIFY_CHOICES, type NotifyLevel as Level } from '../../trpc/notify-choice.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { refresh } from '../../trpc/refresh.ts';
import { ErrorNote } from './error-note.tsx';

/**
 * "Notify me" in the room panel: my level in this room (rooms.list's, which
 * `room.changed` refreshes, so a change on another device shows here too),
 * the kind's default marked as such.
 */
export function NotifyLevel({ roomId, kind }: { roomId: string; kind: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const listKey = trpc.rooms.list.queryKey();
  const level = useQuery({ ...trpc.rooms.list.queryOptions(), select: (rooms) => rooms.find((room) => room.id === roomId)?.notify }).data;
  const set = useMutation(
    trpc.rooms.setNotify.mutationOptions({
      onSuccess: ({ notify }) => {
        queryClient.setQueryData(listKey, (rooms) => rooms?.map((room) => (room.id === roomId ? { ...room, notify } : room)));
        void refresh(queryClient, trpc.rooms.get.queryKey({ roomId }));
      },
    }),
  );
  // Set in the click's own handler: the mutation's pending state reaches React a tick later, and a
  // controlled radio would spring back to the old level in between.
  const [chosen, setChosen] = useState<Level | null>(null);
  const choose = (next: Level) => {
    setChosen(next);
    set.mutate({ roomId, level: next }, { onSettled: () => setChosen(null) });
  };
  const fallback = defaultNotifyLevel(kind);
  const shown = chosen ?? level;

  return (
    <section className="room-panel-section" aria-label="Notifications">
      <fieldset className="notify-level" data-testid="notify-level" disabled={level === undefined}>
        <legend>Notify me</legend>
        {NOTIFY_CHOICES.map((choice) => (
          <label key={choice.level} className="check">
            <input type="radio" name={`${id}-notify`} value={choice.level} checked={shown === choice.level} onChange={() => choose(choice.level)} />
            {choice.label}
            {choice.level === fallback && <span className="muted small"> (default)</span>}
          </label>
        ))}
      </fieldset>
      <ErrorNote error={set.error} />
    </section>
  );
}

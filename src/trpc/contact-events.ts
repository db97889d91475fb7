'use client';
import type { QueryClient } from '@tanstack/react-query';
import type { ContactsEvent } from './contacts.ts';
import type { useTRPC } from './react.tsx';
import { refresh } from './refresh.ts';

type Trpc = ReturnType<typeof useTRPC>;
type HiddenListener = (roomId: string, messageId: string) => void;

// Module-level: the open room views of this page listen, and a message id
// means the same message whichever session hears of it.
const hiddenListeners = new Set<HiddenListener>();

/** Calls `listener` with each message I delete for myself (here or on another device). */
export function onMessageHidden(listener: HiddenListener): () => void {
  hiddenListeners.add(listener);
  return () => void hiddenListeners.delete(listener);
}

export function messageHidden(roomId: string, messageId: string): void {
  for (const listener of hiddenListeners) listener(roomId, messageId);
}

/**
 * A conversation I deleted for myself leaves the room list at once (the open
 * page then shows no room); the refetch keeps it if a new message already
 * brought it back.
 */
export function roomHidden(queryClient: QueryClient, trpc: Trpc, roomId: string): void {
  queryClient.setQueryData(trpc.rooms.list.queryKey(), (list) => list?.filter((room) => room.id !== roomId));
  void refresh(queryClient, trpc.rooms.list.queryKey());
}

/** events.user's contact.changed, message.hidden and room.hidden (from useMyRooms). */
export function onContactsEvent(queryClient: QueryClient, trpc: Trpc, event: ContactsEvent): void {
  switch (event.type) {
    case 'contact.changed':
      return void refresh(queryClient, trpc.contacts.list.queryKey());
    case 'message.hidden':
      return messageHidden(event.roomId, event.messageId);
    case 'room.hidden':
      return roomHidden(queryClient, trpc, event.roomId);
  }
}

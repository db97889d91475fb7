'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useTRPC } from '../../trpc/react.tsx';
import { useMyRooms, useRoomNames } from '../../trpc/use-rooms.ts';
import { BrowseRoomsDialog, DirectMessageDialog, NewRoomDialog } from './room-dialogs.tsx';
import { RoomView } from './room-view.tsx';
import { Sidebar } from './sidebar.tsx';

type Dialog = 'new' | 'browse' | 'direct' | null;

const roomFromHash = () => /^#room=([\w-]+)$/.exec(window.location.hash)?.[1] ?? null;

/** The sidebar and the open room. On narrow screens one or the other fills the screen. */
export function Chat() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rooms = useMyRooms();
  const list = rooms.data ?? [];
  const names = useRoomNames(list);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [showRooms, setShowRooms] = useState(true);

  const select = useCallback((roomId: string | null) => {
    window.history.replaceState(null, '', roomId ? `#room=${roomId}` : window.location.pathname);
    setActiveId(roomId);
    setShowRooms(roomId === null);
  }, []);

  useEffect(() => select(roomFromHash()), [select]);

  // Removed from the open room (or it was deleted): close it.
  const active = list.find((room) => room.id === activeId);
  useEffect(() => {
    if (rooms.data && activeId && !active) select(null);
  }, [rooms.data, activeId, active, select]);

  const open = async (roomId: string) => {
    setDialog(null);
    await queryClient.invalidateQueries({ queryKey: trpc.rooms.list.queryKey() });
    select(roomId);
  };

  return (
    <div className="chat" data-show={showRooms ? 'rooms' : 'room'}>
      <Sidebar rooms={list} names={names} activeId={activeId} onSelect={select} onDialog={setDialog} />
      <main className="room-pane">
        {active ? (
          <RoomView key={active.id} room={active} name={names.get(active.id) ?? { text: '', people: null }} onShowRooms={() => setShowRooms(true)} />
        ) : (
          <div className="empty">
            <button type="button" className="only-narrow ghost" onClick={() => setShowRooms(true)}>
              ☰ Rooms
            </button>
            <p className="muted">{rooms.isPending ? 'Loading your rooms…' : 'Pick a room, or create one.'}</p>
          </div>
        )}
      </main>
      {dialog === 'new' && <NewRoomDialog onClose={() => setDialog(null)} onOpen={open} />}
      {dialog === 'browse' && <BrowseRoomsDialog onClose={() => setDialog(null)} onOpen={open} />}
      {dialog === 'direct' && <DirectMessageDialog onClose={() => setDialog(null)} onOpen={open} />}
    </div>
  );
}

'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useTRPC } from '../../trpc/react.tsx';
import { forgetRoomToOpen, roomToOpen } from '../../trpc/room-to-open.ts';
import { useMyRooms, useRoomNames } from '../../trpc/use-rooms.ts';
import { BrowseRoomsDialog, DirectMessageDialog, NewRoomDialog } from './room-dialogs.tsx';
import { QuickSwitcher } from './quick-switcher.tsx';
import { RoomView } from './room-view.tsx';
import { Sidebar } from './sidebar.tsx';
import { usePushClicks } from './use-push-clicks.ts';

type Dialog = 'new' | 'browse' | 'direct' | 'switcher' | null;

const roomFromHash = () => /^#room=([\w-]+)$/.exec(window.location.hash)?.[1] ?? null;

/** The sidebar and the open room. On narrow screens one or the other fills the screen. */
export function Chat() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rooms = useMyRooms();
  const list = rooms.data ?? [];
  const names = useRoomNames(list);
  // Read straight from the URL: HearthProvider renders nothing on the server, so this runs in the browser only.
  const [activeId, setActiveId] = useState(() => roomToOpen() ?? roomFromHash());
  useEffect(forgetRoomToOpen, []);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [showRooms, setShowRooms] = useState(activeId === null);

  const select = useCallback((roomId: string | null) => {
    setActiveId(roomId);
    setShowRooms(roomId === null);
  }, []);
  usePushClicks(select);

  // Ctrl+K (Cmd+K on a Mac) anywhere opens the quick switcher.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'k' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      event.preventDefault();
      setDialog((open) => (open === null ? 'switcher' : open));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The URL names the open room, so a reload or a shared link reopens it.
  useEffect(() => window.history.replaceState(null, '', activeId ? `#room=${activeId}` : window.location.pathname), [activeId]);

  // Removed from the open room (or it was deleted): close it, in this render
  // rather than after painting a room that is gone.
  const active = list.find((room) => room.id === activeId);
  if (rooms.data && activeId && !active) select(null);

  const open = async (roomId: string) => {
    setDialog(null);
    await queryClient.invalidateQueries({ queryKey: trpc.rooms.list.queryKey() });
    select(roomId);
  };

  return (
    <div className="chat" data-show={showRooms ? 'rooms' : 'room'}>
      <Sidebar rooms={list} names={names} activeId={activeId} onSelect={select} onDialog={setDialog} onSwitcher={() => setDialog('switcher')} />
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
      {dialog === 'switcher' && <QuickSwitcher rooms={list} names={names} onClose={() => setDialog(null)} onOpen={open} />}
    </div>
  );
}

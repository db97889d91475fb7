'use client';
import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { onMessageHidden } from './contact-events.ts';
import { describeError } from './errors.ts';
import type { Named } from './people.ts';
import { refresh } from './refresh.ts';
import { useConnectionStatus, useHearth, useOutboxItems, useTRPC, useTRPCClient } from './react.tsx';
import { applyEvent, emptyTimeline, withAcknowledged, withNewestPage, withOlderPage, withoutMessage, type RoomEvent } from './timeline.ts';
import { useMarkRead } from './use-mark-read.ts';
import { useTyping } from './use-typing.ts';

const PAGE = 50;

/**
 * One room, live: the newest page of history, then the stream from just after
 * it (lastEventId), so nothing committed in between is missed. After a
 * disconnect, tRPC resubscribes with the last event id it saw and the server
 * replays the gap; a `reset` (gap too large) refetches the newest page.
 */
export function useRoom(roomId: string) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const { me, onAcknowledged, outbox } = useHearth();
  const status = useConnectionStatus();
  const [timeline, setTimeline] = useState(emptyTimeline);
  const [from, setFrom] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [online, setOnline] = useState<readonly string[]>([]);
  const [ended, setEnded] = useState<string | null>(null);
  const typing = useTyping();
  // Everyone the pages named and everyone who was a member while this page
  // was open, so "Bob removed Carol" still names Carol once she is gone.
  const [known, setKnown] = useState<ReadonlyMap<string, Named>>(new Map());
  const remember = (people: ReadonlyArray<Named & { userId: string }>) =>
    setKnown((before) => new Map([...before, ...people.map((p): [string, Named] => [p.userId, p])]));

  // State is set only once the page (or the failure) arrives, never in the
  // calling effect's own turn.
  const loadNewest = useCallback(
    () =>
      client.messages.history.query({ roomId, limit: PAGE }).then(
        (page) => {
          setLoadError(null);
          remember(page.people);
          setTimeline((t) => withNewestPage(t, page));
          // Set once: later resubscriptions carry tRPC's own last event id.
          setFrom((f) => f ?? String(page.messages.at(-1)?.seq ?? 0));
        },
        (error: unknown) => setLoadError(describeError(error)),
      ),
    [client, roomId],
  );

  useEffect(() => void loadNewest(), [loadNewest]);
  const retryLoad = useCallback(() => {
    setLoadError(null);
    return loadNewest();
  }, [loadNewest]);
  // Back online after a failed load: try again. Only on the way back: an error
  // set while online must not retry at once (a loop against a failing server).
  const wasOnline = useRef(status === 'online');
  useEffect(() => {
    const cameBack = status === 'online' && !wasOnline.current;
    wasOnline.current = status === 'online';
    if (cameBack && loadError) void loadNewest();
  }, [status, loadError, loadNewest]);

  // Deleted for me, here or on another device: gone, and later edits of it stay ignored.
  useEffect(() => onMessageHidden((room, id) => room === roomId && setTimeline((t) => withoutMessage(t, id))), [roomId]);
  useEffect(() => onAcknowledged((message) => message.roomId === roomId && setTimeline((t) => withAcknowledged(t, message))), [onAcknowledged, roomId]);

  const members = useQuery(trpc.rooms.members.queryOptions({ roomId }));
  const details = useQuery(trpc.rooms.get.queryOptions({ roomId }));
  const refreshDetails = () => {
    void refresh(queryClient, trpc.rooms.get.queryKey({ roomId }));
    void refresh(queryClient, trpc.rooms.list.queryKey());
  };
  // Presence events announce people going on- or offline, not someone online
  // joining: the members list (refetched on every join) covers that. Both are
  // snapshots of "who is online now"; the later one wins.
  // Starts empty, so a members list already cached at mount counts too.
  const [membersSeen, setMembersSeen] = useState<typeof members.data>();
  if (members.data !== membersSeen) {
    setMembersSeen(members.data);
    if (members.data) {
      setOnline(members.data.filter((m) => m.online).map((m) => m.userId));
      remember(members.data);
    }
  }

  const onEvent = (event: RoomEvent) => {
    switch (event.type) {
      case 'presence':
        return setOnline(event.online);
      case 'typing':
        return typing.set(event.userId, event.typing);
      case 'receipt':
        return void refresh(queryClient, trpc.messages.receipts.queryKey());
      case 'reset':
        setTimeline((t) => applyEvent(t, event));
        return void loadNewest();
      case 'member.joined':
      case 'member.left':
        void refresh(queryClient, trpc.rooms.members.queryKey({ roomId }));
        void refresh(queryClient, trpc.rooms.get.queryKey({ roomId }));
        if (event.type === 'member.left' && event.userId === me.id) setEnded('You are no longer a member of this room.');
        break;
      case 'room.updated':
        // Name, topic, archived or someone's role: the header, the panel and the composer follow.
        refreshDetails();
        if ('role' in event.change) void refresh(queryClient, trpc.rooms.members.queryKey({ roomId }));
        break;
      case 'message.created':
        typing.set(event.message.authorId, false);
        break;
    }
    setTimeline((t) => applyEvent(t, event));
  };

  useSubscription(
    trpc.events.room.subscriptionOptions(from === null ? skipToken : { roomId, lastEventId: from }, {
      onData: (item) => onEvent('id' in item && 'data' in item ? item.data : item),
      onError: (error) => setEnded(describeError(error)),
    }),
  );

  useMarkRead(roomId, timeline);

  const loadOlder = useCallback(async () => {
    if (loadingOlder || timeline.nextBeforeSeq === null) return;
    setLoadingOlder(true);
    try {
      const page = await client.messages.history.query({ roomId, beforeSeq: timeline.nextBeforeSeq, limit: PAGE });
      remember(page.people);
      setTimeline((t) => withOlderPage(t, page));
    } catch (error) {
      setLoadError(describeError(error));
    } finally {
      setLoadingOlder(false);
    }
  }, [client, roomId, loadingOlder, timeline.nextBeforeSeq]);

  const edit = async (messageId: string, body: string) => {
    const message = await client.messages.edit.mutate({ messageId, body });
    setTimeline((t) => withAcknowledged(t, message));
  };
  const remove = async (messageId: string) => {
    await client.messages.delete.mutate({ messageId });
    setTimeline((t) => withoutMessage(t, messageId));
  };

  // My sends not yet in the timeline: queued, in flight, or failed.
  const outboxItems = useOutboxItems();
  const pending = useMemo(() => {
    const mine = new Set(timeline.messages.filter((m) => m.authorId === me.id).map((m) => m.clientMessageId));
    return outboxItems.filter((item) => item.roomId === roomId && !mine.has(item.clientMessageId));
  }, [outboxItems, timeline.messages, me.id, roomId]);

  return {
    messages: timeline.messages,
    pending,
    loaded: timeline.loaded,
    loadError,
    retryLoad,
    hasOlder: timeline.nextBeforeSeq !== null,
    loadingOlder,
    loadOlder,
    members: members.data ?? [],
    /** Members now and those who left while the page was open, by id. */
    known,
    /** Whether the members list has loaded (until then, nobody is a "former member"). */
    membersLoaded: members.data !== undefined,
    /** The members list failed (the server unreachable); it is asked again once the connection is back. */
    membersFailed: members.isError,
    details: details.data ?? null,
    notices: timeline.notices,
    nextBeforeSeq: timeline.nextBeforeSeq,
    online,
    typing: typing.ids,
    ended,
    send: (body: string) => outbox.enqueue(roomId, body),
    edit,
    remove,
  };
}

import type { inferRouterOutputs } from '@trpc/server';
import { expect } from 'vitest';
import type { AppRouter } from '../../src/server/api/root.ts';
import type { RoomStreamEvent } from '../../src/server/chat/room-events.ts';
import { until } from './raw-ws.ts';
import type { Sentinel } from './sentinel.ts';
import type { TestServer } from './server.ts';

type Outputs = inferRouterOutputs<AppRouter>;
export type Room = Outputs['rooms']['create'];

export interface Person {
  name: string;
  token: string;
  id: string;
  /** Calls over HTTP, subscriptions over the socket. */
  api: ReturnType<TestServer['client']>['trpc'];
  /** Another connection of the same person (a second tab or device). */
  connect(): ReturnType<TestServer['client']>;
}

/** Registers people by name: `const { alice, bob } = await people(hearth, 'alice', 'bob')`. */
export async function people<const N extends string>(hearth: TestServer, ...names: N[]): Promise<Record<N, Person>> {
  const result = {} as Record<N, Person>;
  for (const name of names) {
    const { token, user } = await hearth.register(name);
    result[name] = {
      name,
      token,
      id: user.id,
      api: hearth.client({ token }).trpc,
      connect: () => hearth.client({ token }),
    };
  }
  return result;
}

/** Room names are unique regardless of case: rooms a test does not name are numbered. */
let unnamed = 0;

export async function createRoom({
  by,
  members = [],
  kind = 'closed',
  name = `room ${++unnamed}`,
}: {
  by: Person;
  members?: Person[];
  kind?: 'open' | 'closed';
  name?: string;
}): Promise<Room> {
  return by.api.rooms.create.mutate({ name, kind, memberIds: members.map((m) => m.id) });
}

export interface Received {
  id?: string;
  event: RoomStreamEvent;
}

/** Subscribes to a room and records every event (tracked ones with their id). */
export function watchRoom(client: ReturnType<TestServer['client']>, roomId: string, lastEventId?: string) {
  const received: Received[] = [];
  const errors: unknown[] = [];
  let started = false;
  let done = false;
  const subscription = client.trpc.events.room.subscribe(
    { roomId, lastEventId },
    {
      onStarted: () => (started = true),
      onData: (value) => {
        const item = value as { id: string; data: RoomStreamEvent } | RoomStreamEvent;
        received.push('data' in item && 'id' in item ? { id: item.id, event: item.data } : { event: item as RoomStreamEvent });
      },
      onError: (err) => errors.push(err),
      onComplete: () => (done = true),
    },
  );
  return {
    received,
    errors,
    get started() {
      return started;
    },
    get completed() {
      return done;
    },
    /** Seqs of durable events, in arrival order (the opening presence is tracked at the cursor, but is not one). */
    seqs: () => seqsOf(received),
    lastId: () => received.filter((r) => r.id !== undefined).at(-1)?.id,
    unsubscribe: () => subscription.unsubscribe(),
  };
}

/** Seqs of durable events, in arrival order (the opening presence is tracked at the cursor, but is not one). */
export const seqsOf = (received: readonly Received[]) => received.filter((r) => r.id !== undefined && r.event.type !== 'presence').map((r) => Number(r.id));

let sentinels = 0;

/** A message only this sentinel sends: for room streams that record messages (it takes a seq). */
export function sentinelMessage(by: Person, roomId: string): Sentinel<Received> {
  const body = `sentinel ${++sentinels}`;
  return {
    cause: () => by.api.messages.send.mutate({ roomId, body, clientMessageId: body }),
    is: ({ event }) => event.type === 'message.created' && event.message.body === body,
  };
}

/**
 * A typing start by `by`, seen by the other members: for streams where a seq would disturb what is
 * checked. `by` must not be typing already (a refresh announces nothing); it uses one of their typing starts.
 */
export function sentinelTyping(by: Person, roomId: string): Sentinel<Received> {
  return {
    cause: () => by.api.typing.set.mutate({ roomId, typing: true }),
    is: ({ event }) => event.type === 'typing' && event.userId === by.id && event.typing,
  };
}

/** Applies a room stream to a message list the way a client would. */
export function applyEvents(received: Received[], initial: Map<string, { body: string; seq: number }> = new Map()) {
  const state = new Map(initial);
  for (const { event } of received) {
    if (event.type === 'message.created' || event.type === 'message.updated') {
      if (event.message.deletedAt) state.delete(event.message.id);
      else state.set(event.message.id, { body: event.message.body, seq: event.message.seq });
    } else if (event.type === 'message.deleted') {
      state.delete(event.messageId);
    }
  }
  return state;
}

export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export /** Messages Bob must see while a fuzz suite runs, whatever it does to the server: `say` one, then `check` all arrived. */
async function healthyConversation(hearth: TestServer, alice: Person, bob: Person, room: Room) {
  const stream = watchRoom(bob.connect(), room.id);
  await until(() => stream.started);
  let sent = 0;
  return {
    async say() {
      sent += 1;
      await alice.api.messages.send.mutate({ roomId: room.id, body: `still here ${sent}`, clientMessageId: `healthy-${sent}` });
    },
    async check() {
      await until(() => stream.seqs().length === sent, 10_000);
      const bodies = stream.received.flatMap(({ event }) => (event.type === 'message.created' ? [event.message.body] : []));
      expect(bodies).toEqual(Array.from({ length: sent }, (_, i) => `still here ${i + 1}`));
      expect(stream.errors).toEqual([]);
      expect((await fetch(`${hearth.url}/healthz`)).status).toBe(200);
    },
  };
}

/**
 * Makes people contacts (the asker asks each, each accepts), for tests where
 * people who share no room must talk: since issue 15 a stranger is reached
 * only through an accepted contact request (chat/reach.ts).
 */
export async function acquaint(asker: Person, ...answerers: Person[]): Promise<void> {
  for (const answerer of answerers) {
    await asker.api.contacts.request.mutate({ userId: answerer.id });
    await answerer.api.contacts.accept.mutate({ userId: asker.id });
  }
}

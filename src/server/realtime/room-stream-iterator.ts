import { tracked, type TrackedEnvelope } from '@trpc/server';
import type { RoomBusEvent, RoomStreamEvent } from '../chat/room-events.ts';
import { isAppError } from '../lib/app-error.ts';
import { EventQueue } from './queue.ts';
import { openRoomStream, RoomStream, type RoomStreamDeps, type RoomStreamRequest } from './room-stream.ts';
import type { ResetEvent, Sink } from './room-subscriber.ts';

type Item = TrackedEnvelope<RoomStreamEvent> | RoomStreamEvent;

/**
 * `events.room` as tRPC serves it (the router's sink; over WebSocket the frame
 * writer serves the same stream unless it hands the request to tRPC). Opened
 * eagerly, so a refusal is tRPC's error reply rather than a stream that
 * starts and fails. Durable events are tracked(String(seq)).
 */
export async function roomEvents(deps: RoomStreamDeps, request: RoomStreamRequest & { signal?: AbortSignal }): Promise<AsyncIterableIterator<Item>> {
  const events = new RoomEventIterator(request.signal);
  const stream = await openRoomStream(deps, request, events);
  if (isAppError(stream)) {
    if (stream.code === 'TOO_MANY_REQUESTS') deps.metrics.subscriptionsRefused.inc();
    throw stream;
  }
  events.follow(stream);
  return events;
}

/**
 * An iterator rather than an async generator: tRPC may drop the stream before
 * asking for a first item (the socket closed meanwhile), and only `return()`
 * runs then, not a generator's `finally`.
 */
class RoomEventIterator implements Sink, AsyncIterableIterator<Item> {
  private readonly queue = new EventQueue<Item>(Number.MAX_SAFE_INTEGER);
  private stream: RoomStream | null = null;

  constructor(private readonly signal: AbortSignal | undefined) {}

  follow(stream: RoomStream): void {
    this.stream = stream;
    if (this.signal?.aborted) return this.finish();
    this.signal?.addEventListener('abort', this);
    stream.start().catch(() => this.finish());
  }

  durable(seq: number, event: RoomBusEvent | ResetEvent): void {
    this.queue.push(tracked(String(seq), event as RoomStreamEvent));
  }

  ephemeral(event: RoomBusEvent): void {
    this.queue.push(event as RoomStreamEvent);
  }

  end(): void {
    this.queue.close();
  }

  /** The signal aborted (EventListener's handleEvent: no closure per stream). */
  handleEvent(): void {
    this.finish();
  }

  async next(): Promise<IteratorResult<Item>> {
    const item = await this.queue.next();
    if (item !== undefined && typeof item !== 'symbol') return { done: false, value: item };
    this.finish();
    return { done: true, value: undefined };
  }

  async return(): Promise<IteratorResult<Item>> {
    this.finish();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    this.queue.close();
    this.stream?.close();
    this.signal?.removeEventListener('abort', this);
  }
}

import { dataFrame, stoppedFrame } from '../adapters/trpc.ts';
import type { RoomStream } from '../realtime/room-stream.ts';
import type { Json, Sink } from '../realtime/room-subscriber.ts';
import type { HearthSocket } from './hearth-socket.ts';

/**
 * The room stream's frame writer: one subscription's events as tRPC v11
 * frames, written from the room fan-out without tRPC's per-subscriber async
 * loop (~7x the CPU per delivery, ~50 KB per subscription). The event's JSON
 * is shared, only the envelope is per recipient. The socket bounds its own
 * unsent output (HearthSocket.send): a client that does not read fast enough
 * is cut with 4008 and resumes from its last event id.
 */
export class FrameSink implements Sink {
  /** Set once the stream is admitted; until then this sink marks the setup in its socket's table. */
  stream: RoomStream | null = null;

  constructor(
    private readonly ws: HearthSocket,
    /** The reply head (adapters/trpc.ts replyHead): `{"id":…` */
    readonly head: string,
    private readonly owner: { forget(key: string, sink: FrameSink): void },
    readonly key: string,
  ) {}

  durable(seq: number, _event: unknown, json: Json): void {
    this.ws.send(builtFrame(json, this.head, seq), TEXT);
  }

  ephemeral(_event: unknown, json: Json): void {
    this.ws.send(builtFrame(json, this.head, null), TEXT);
  }

  /** The stream ended itself (removal, room deleted): tRPC's client hears "stopped". */
  end(): void {
    this.ws.send(stoppedFrame(this.head));
    this.owner.forget(this.key, this);
  }
}

const TEXT = { binary: false };

/**
 * Frames already built for one event, by reply head. The fan-out hands every
 * subscriber the same `json` for an event, and clients mostly number their
 * subscriptions alike, so most of a room's subscribers share one buffer:
 * built and UTF-8 encoded once, written to each socket as it is.
 */
const built = new WeakMap<Json, Map<string, Buffer>>();

function builtFrame(json: Json, head: string, seq: number | null): Buffer {
  let byHead = built.get(json);
  if (!byHead) built.set(json, (byHead = new Map()));
  let frame = byHead.get(head);
  if (!frame) byHead.set(head, (frame = Buffer.from(dataFrame(head, json(), seq === null ? null : String(seq)))));
  return frame;
}

import type { Metrics } from '../ops/metrics.ts';
import type { Json, Sink } from '../realtime/subscriber.ts';
import type { HearthSocket } from './hearth-socket.ts';

/**
 * Writes one subscription's events as tRPC v11 frames, directly from the
 * room fan-out: the event's JSON is shared, only this envelope is built per
 * recipient. The socket bounds its own unsent output (HearthSocket.send): a
 * client that does not read fast enough is cut with 4008 and resumes from its
 * last event id, rather than the server buffering for it without bound.
 */
export class FrameSink implements Sink {
  private readonly idJson: string;

  constructor(
    private readonly ws: HearthSocket,
    id: string | number,
    private readonly metrics: Pick<Metrics, 'delivered'>,
    private readonly owner: { remove(key: string): void },
    private readonly key: string,
  ) {
    this.idJson = JSON.stringify(id);
  }

  durable(seq: number, _event: unknown, json: Json): void {
    this.write(builtFrame(json, this.idJson, seq));
  }

  ephemeral(_event: unknown, json: Json): void {
    this.write(builtFrame(json, this.idJson, null));
  }

  end(): void {
    this.ws.send(`{"id":${this.idJson},"result":{"type":"stopped"}}`);
    this.owner.remove(this.key);
  }

  private write(frame: Buffer): void {
    this.metrics.delivered();
    this.ws.send(frame, TEXT);
  }
}

const TEXT = { binary: false };

/**
 * Frames already built for one event, by subscription id. The fan-out hands
 * every subscriber the same `json` for an event, and clients mostly number
 * their subscriptions alike, so most of a room's subscribers share one buffer:
 * built and UTF-8 encoded once, written to each socket as it is.
 */
const built = new WeakMap<Json, Map<string, Buffer>>();

function builtFrame(json: Json, idJson: string, seq: number | null): Buffer {
  let byId = built.get(json);
  if (!byId) built.set(json, (byId = new Map()));
  let frame = byId.get(idJson);
  if (!frame) {
    const text =
      seq === null
        ? `{"id":${idJson},"result":{"type":"data","data":${json()}}}`
        : `{"id":${idJson},"result":{"type":"data","id":"${seq}","data":{"id":"${seq}","data":${json()}}}}`;
    byId.set(idJson, (frame = Buffer.from(text)));
  }
  return frame;
}

export const startedFrame = (id: string | number) => `{"id":${JSON.stringify(id)},"result":{"type":"started"}}`;
export const stoppedFrame = (id: string | number) => `{"id":${JSON.stringify(id)},"result":{"type":"stopped"}}`;

/** The error tRPC's adapter gives for a subscription id already in use on the socket. */
export const duplicateIdFrame = (id: string | number) =>
  JSON.stringify({
    id,
    error: { message: `Duplicate id ${id}`, code: -32600, data: { code: 'BAD_REQUEST', httpStatus: 400, path: 'events.room' } },
  });

import type { WebSocket } from 'ws';
import { CloseCode } from '../../trpc/protocol.ts';
import type { Sink } from '../realtime/subscriber.ts';

/**
 * Writes one subscription's events as tRPC v11 frames, directly from the
 * room fan-out: the event's JSON is shared, only this envelope is built per
 * recipient. A socket whose unsent output passes `maxBuffered` is not read
 * fast enough: it is closed with "too slow" and its client resumes from its
 * last event id, rather than the server buffering without bound.
 */
export function frameSink(ws: WebSocket, id: string | number, maxBuffered: number, onEnd: () => void): Sink {
  const idJson = JSON.stringify(id);
  const write = (frame: string) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > maxBuffered) {
      ws.close(CloseCode.tooSlow, 'Too slow: reconnect and resume');
      return;
    }
    ws.send(frame);
  };
  return {
    durable(seq, _event, json) {
      write(`{"id":${idJson},"result":{"type":"data","id":"${seq}","data":{"id":"${seq}","data":${json()}}}}`);
    },
    ephemeral(_event, json) {
      write(`{"id":${idJson},"result":{"type":"data","data":${json()}}}`);
    },
    end() {
      write(`{"id":${idJson},"result":{"type":"stopped"}}`);
      onEnd();
    },
  };
}

export const startedFrame = (id: string | number) => `{"id":${JSON.stringify(id)},"result":{"type":"started"}}`;
export const stoppedFrame = (id: string | number) => `{"id":${JSON.stringify(id)},"result":{"type":"stopped"}}`;

/** The error tRPC's adapter gives for a subscription id already in use on the socket. */
export const duplicateIdFrame = (id: string | number) =>
  JSON.stringify({
    id,
    error: { message: `Duplicate id ${id}`, code: -32600, data: { code: 'BAD_REQUEST', httpStatus: 400, path: 'events.room' } },
  });

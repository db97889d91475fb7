import type { RoomBusEvent } from '../chat/room-events.ts';
import type { EventBus } from './bus.ts';
import { channels } from './bus-events.ts';
import type { RoomSubscriber } from './room-subscriber.ts';

/**
 * The process's room fan-out: one bus subscription per room with listeners,
 * however many members watch it, and each event serialised once for all of
 * them (subscribers build only their own envelope).
 */
export class RoomHub {
  private readonly rooms = new Map<string, { subscribers: Set<RoomSubscriber>; unsubscribe: () => void }>();

  /**
   * @param onlineIn who is online in a room now, for the snapshot sent after
   * a bus outage.
   */
  constructor(
    private readonly bus: EventBus,
    private readonly onlineIn: (roomId: string) => Promise<string[]>,
  ) {
    // Durable events published while the bus was away are in the database
    // log; presence changes are not, so each room gets a fresh snapshot too.
    bus.onReconnect(() => {
      for (const [roomId, room] of this.rooms) {
        for (const subscriber of room.subscribers) subscriber.resync();
        void this.snapshotPresence(roomId, room.subscribers);
      }
    });
  }

  private async snapshotPresence(roomId: string, subscribers: Set<RoomSubscriber>): Promise<void> {
    const online = await this.onlineIn(roomId).catch(() => null);
    if (online && this.rooms.get(roomId)?.subscribers === subscribers) this.dispatch(subscribers, { type: 'presence', roomId, online });
  }

  /** Starts delivering the room's live events to the subscriber (before it reads the log). */
  attach(subscriber: RoomSubscriber): void {
    let room = this.rooms.get(subscriber.roomId);
    if (!room) {
      const subscribers = new Set<RoomSubscriber>();
      const unsubscribe = this.bus.subscribe(channels.room(subscriber.roomId), (event) => this.dispatch(subscribers, event as RoomBusEvent));
      room = { subscribers, unsubscribe };
      this.rooms.set(subscriber.roomId, room);
    }
    room.subscribers.add(subscriber);
  }

  /** Resolves once the room's bus subscription is live (see EventBus.whenSubscribed). */
  ready(roomId: string): Promise<void> {
    return this.bus.whenSubscribed(channels.room(roomId));
  }

  detach(subscriber: RoomSubscriber): void {
    subscriber.stop();
    const room = this.rooms.get(subscriber.roomId);
    if (!room?.subscribers.delete(subscriber)) return;
    if (room.subscribers.size === 0) {
      room.unsubscribe();
      this.rooms.delete(subscriber.roomId);
    }
  }

  /** Subscribers across all rooms: tests assert it returns to zero. */
  get size(): number {
    let count = 0;
    for (const room of this.rooms.values()) count += room.subscribers.size;
    return count;
  }

  private dispatch(subscribers: Set<RoomSubscriber>, event: RoomBusEvent): void {
    let json: string | undefined;
    const serialised = () => (json ??= JSON.stringify(event));
    for (const subscriber of subscribers) subscriber.onEvent(event, serialised);
  }
}

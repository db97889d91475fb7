/**
 * Who is online: a user is online while at least one of their authenticated
 * connections is open. Behind an interface so several instances can share it.
 */
export interface Presence {
  connected(userId: string): void;
  disconnected(userId: string): void;
  isOnline(userId: string): boolean;
}

export class MemoryPresence implements Presence {
  private readonly connections = new Map<string, number>();

  connected(userId: string): void {
    this.connections.set(userId, (this.connections.get(userId) ?? 0) + 1);
  }

  disconnected(userId: string): void {
    const left = (this.connections.get(userId) ?? 0) - 1;
    if (left > 0) this.connections.set(userId, left);
    else this.connections.delete(userId);
  }

  isOnline(userId: string): boolean {
    return this.connections.has(userId);
  }
}

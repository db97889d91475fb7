import WebSocket from 'ws';
import { createHearthClient, type HearthClientOptions } from './client.ts';

/** For Node.js services (Node 20 has no global WebSocket): the typed client over `ws`. */
export function createNodeHearthClient(options: Omit<HearthClientOptions, 'WebSocket'>) {
  return createHearthClient({ ...options, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
}

import { TRPCClientError } from '@trpc/client';
import { expect } from 'vitest';
import type { AppRouter } from '../../src/server/api/root.ts';

/** Awaits a call that must fail and returns the typed tRPC error for assertions. */
export async function rejection(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error = await promise.then(
    () => expect.unreachable('expected the call to fail'),
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

/** A room stream frame's tracked envelope, as far as tests read it. */
export type RoomFrame = WireAnswer<{ id: string; data: { type: string; message: { body: string } } }>;

/** A tRPC answer as it travels (an HTTP body, a WebSocket frame), for tests that read raw JSON. */
export interface WireAnswer<T = unknown> {
  id?: number | string | null;
  /** `id`: a tracked event's id (its seq). */
  result?: { type?: string; id?: string; data?: T };
  error?: { message: string; code: number; data: { code: string; httpStatus?: number; path?: string; [key: string]: unknown } };
}

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

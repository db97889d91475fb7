'use client';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../server/api/root';

/** The browser's client: same-origin HTTP, authenticated by the HttpOnly session cookie. */
export const api = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: '/api/trpc' })],
});

/** A message a person can act on, from any API error. */
export function describeError(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const issues = (error.data as { issues?: { path: PropertyKey[]; message: string }[] } | undefined)?.issues;
    if (issues?.length) return issues.map((i) => `${String(i.path.join('.') || 'input')}: ${i.message}`).join('; ');
    return error.message;
  }
  return 'Something went wrong; check your connection and try again.';
}

import { TRPCClientError } from '@trpc/client';
import { issuesSentence, UNREADABLE, type Issue } from './issues.ts';

interface ErrorData {
  code?: string;
  httpStatus?: number;
  issues?: Issue[] | null;
  retryAfterMs?: number;
}

const dataOf = (error: unknown): ErrorData | undefined => (error instanceof TRPCClientError ? ((error.data ?? undefined) as ErrorData | undefined) : undefined);

/** The tRPC error code the server answered with, if it answered at all. */
export const errorCode = (error: unknown): string | undefined => dataOf(error)?.code;

export const isUnauthorized = (error: unknown): boolean => errorCode(error) === 'UNAUTHORIZED';

/** A rate limit's "try again in": how long the server asked us to wait, if it did. */
export const retryAfterMs = (error: unknown): number | undefined => {
  const data = dataOf(error);
  return data?.code === 'TOO_MANY_REQUESTS' ? Math.max(250, data.retryAfterMs ?? 1000) : undefined;
};

/**
 * No answer from the server (offline, connection refused, socket dropped, a
 * proxy's HTML error page): the call may or may not have reached the server,
 * so only idempotent work (sends keyed by clientMessageId) may be retried.
 */
export const isNetworkError = (error: unknown): boolean => {
  if (error instanceof TRPCClientError) return error.data == null || error.data.httpStatus >= 502;
  return error instanceof TypeError;
};

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** A sentence a person can act on, from any API error. */
export function describeError(error: unknown): string {
  if (isNetworkError(error)) return 'Cannot reach Hearth; check your connection and try again.';
  const data = dataOf(error);
  if (!data || !(error instanceof TRPCClientError)) return 'Something went wrong; try again.';
  switch (data.code) {
    case 'TOO_MANY_REQUESTS': {
      const message = sentence(error.message);
      if (!data.retryAfterMs || /try again in/i.test(message)) return message;
      return `${message} Try again in ${seconds(data.retryAfterMs)} s.`;
    }
    case 'PAYLOAD_TOO_LARGE':
      return 'That is too large to send.';
    case 'UNAUTHORIZED':
      return error.message || 'Please log in.';
  }
  if (data.issues?.length) return issuesSentence(data.issues);
  // tRPC's own message for a bad input is the issues as JSON: never shown.
  if (data.code === 'BAD_REQUEST' && /^\s*[[{]/.test(error.message)) return UNREADABLE;
  if (data.code === 'INTERNAL_SERVER_ERROR') return 'Something went wrong on the server; try again.';
  return error.message || 'Something went wrong; try again.';
}

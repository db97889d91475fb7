import { TRPCError } from '@trpc/server';
import { AppError } from '../lib/app-error.ts';

/**
 * NUL, or a UTF-16 surrogate that is not half of a pair. With the `u` flag a
 * regex reads a string by code points, so a well-formed pair (an emoji, 𝒳) is
 * one astral code point and never matches `\p{Surrogate}`: only a lone half does.
 * PostgreSQL refuses both (500s), SQLite turns a lone half into U+FFFD, so they
 * are refused before any procedure sees them rather than stored differently.
 */
const UNSAFE = /\0|\p{Surrogate}/u;

/** Far deeper than any procedure's input; it also keeps the walk's recursion short. */
const MAX_DEPTH = 32;
/** Enough to name every bad field of a real call, without echoing a huge input back. */
const MAX_ISSUES = 10;

export interface TextIssue {
  path: Array<string | number>;
  message: string;
  code: 'custom';
}

function textProblem(text: string): string | null {
  if (!UNSAFE.test(text)) return null;
  return text.includes('\0') ? 'text cannot contain NUL (U+0000)' : 'text cannot contain a lone UTF-16 surrogate (U+D800–U+DFFF)';
}

/** Every string in `value`, object keys included, with the path to it; at most MAX_ISSUES. */
export function unsafeTextIn(value: unknown): TextIssue[] {
  const issues: TextIssue[] = [];
  const path: Array<string | number> = [];
  const report = (message: string) => issues.push({ path: [...path], message, code: 'custom' });

  const walk = (node: unknown): void => {
    if (issues.length >= MAX_ISSUES) return;
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) report(problem);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    if (path.length >= MAX_DEPTH) return void report(`input cannot be nested more than ${MAX_DEPTH} levels deep`);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        walk(node[i]);
        path.pop();
      }
      return;
    }
    for (const key of Object.keys(node)) {
      path.push(key);
      const problem = textProblem(key);
      if (problem) report(`a key: ${problem}`);
      walk((node as Record<string, unknown>)[key]);
      path.pop();
    }
  };
  walk(value);
  return issues;
}

/**
 * Run first by every procedure (trpc.ts `base`): the raw input, as the client
 * sent it, is walked before any procedure's own parsing, so no text field
 * (present or future) can carry NUL or a lone surrogate to the database.
 */
export async function refuseUnsafeText(getRawInput: () => Promise<unknown>): Promise<void> {
  const issues = unsafeTextIn(await getRawInput());
  if (issues.length === 0) return;
  const [first] = issues as [TextIssue];
  const message = `${first.path.join('.') || 'input'}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`;
  throw new TRPCError({ code: 'BAD_REQUEST', message, cause: new AppError('BAD_REQUEST', message, { issues }) });
}

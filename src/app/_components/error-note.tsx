import { describeError } from '../../trpc/errors.ts';

/** An API error as the user reads it (nothing when there is none), announced to screen readers. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {describeError(error)}
    </p>
  );
}

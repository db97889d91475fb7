import { Fragment } from 'react';
import type { Named } from '../../trpc/people.ts';
import { listParts } from './format.ts';

/**
 * A display name with the muted @username after it (see trpc/people.ts). The
 * name is isolated so right-to-left text in it cannot reorder the handle.
 */
export function PersonName({ person }: { person: Named }) {
  return (
    <span className="person">
      <bdi className="person-name">{person.displayName}</bdi>
      {person.username !== null && (
        <>
          {' '}
          <span className="handle">@{person.username}</span>
        </>
      )}
    </span>
  );
}

/** "Ann @ann, Bo @bo and Cy @cy", or with `commas`, "Ann @ann, Bo @bo, Cy @cy" (a room named after its people). */
export function PeopleList({ people, commas = false }: { people: readonly Named[]; commas?: boolean }) {
  const parts = commas ? people.flatMap((person, i) => (i === 0 ? [person] : [', ', person])) : listParts(people);
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>{typeof part === 'string' ? part : <PersonName person={part} />}</Fragment>
      ))}
    </>
  );
}

import type { Suggestion } from '../../trpc/mention-suggest.ts';
import { PersonName } from './person-name.tsx';

interface Props {
  id: string;
  items: readonly Suggestion[];
  active: number;
  onPick(item: Suggestion): void;
}

export const mentionOptionId = (listId: string, index: number) => `${listId}-${index}`;

/**
 * The composer's `@` suggestions: a listbox whose highlighted row the composer
 * names with aria-activedescendant, so the focus stays in the text. A press
 * on a row keeps that focus (mousedown is cancelled) and picks it.
 */
export function MentionList({ id, items, active, onPick }: Props) {
  return (
    <ul className="mention-list" id={id} role="listbox" aria-label="People to mention" data-testid="mention-list">
      {items.map((item, i) => (
        <li
          key={item.id}
          id={mentionOptionId(id, i)}
          role="option"
          aria-selected={i === active}
          data-testid="mention-option"
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onPick(item)}
        >
          {item.kind === 'room' ? (
            <>
              <strong>@room</strong> <span className="muted">notify everyone in this room</span>
            </>
          ) : (
            <PersonName person={item} />
          )}
        </li>
      ))}
    </ul>
  );
}

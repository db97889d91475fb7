/**
 * Validation issues (error.data.issues: zod's, or the server's own in the
 * same shape) as sentences a person can read. Zod's default messages
 * ("Too big: expected string to have <=64 characters") are rebuilt from their
 * code and numbers; the server's own messages are already words and only get
 * the field's name put in front where they lack one.
 */
export interface Issue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
}

/** What went wrong with no field a person could fix: a stale page or a bug. */
export const UNREADABLE = 'Hearth could not accept that request; reload the page and try again';

const LABELS: Record<string, string> = { body: 'Message', query: 'Search', userIds: 'People', memberIds: 'People' };
/** Ids are never typed by people: a bad one means the thing is gone or the page is stale. */
const THINGS: Record<string, string> = { userId: 'person', userIds: 'person', memberIds: 'person' };
const ZOD_DEFAULT = /^(Invalid|Too big|Too small|Unrecognized|Expected)\b/;

/** "displayName" → "Display name". */
const humanize = (field: string) => {
  const words = field
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};
const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function zodSentence(label: string, { code, message }: Issue): string {
  const n = /-?\d[\d,.]*/.exec(message)?.[0];
  const unit = /character/.test(message) ? ' characters' : /item/.test(message) ? ' items' : '';
  switch (code) {
    case 'too_big':
      return n ? `${label} can be at most ${n}${unit}` : `${label} is too long`;
    case 'too_small':
      if (unit === ' characters' && n === '1') return `${label} cannot be empty`;
      return n ? `${label} must be at least ${n}${unit}` : `${label} is too short`;
    case 'invalid_type':
      return /received undefined/.test(message) ? `${label} is required` : `${label} is not valid`;
    case 'invalid_value': {
      const options = [...message.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
      if (options.length === 0) return `${label} is not valid`;
      return `${label} must be ${options.length === 1 ? options[0] : `${options.slice(0, -1).join(', ')} or ${options.at(-1)}`}`;
    }
    default:
      return `${label} is not valid`;
  }
}

/** One issue as a sentence (no full stop, like the server's own messages). */
export function issueSentence(issue: Issue): string {
  const field = issue.path.filter((part): part is string => typeof part === 'string').at(-1);
  const message = issue.message.trim();
  if (field && /(^id|Ids?)$/.test(field) && (issue.code === 'invalid_format' || /valid id|uuid/i.test(message))) {
    const thing = THINGS[field] ?? (field === 'id' ? 'item' : humanize(field.replace(/Ids?$/, '')).toLowerCase());
    return `That ${thing} is not known here; reload the page and try again`;
  }
  const label = field ? (LABELS[field] ?? humanize(field)) : null;
  if (ZOD_DEFAULT.test(message) || !message) return label ? zodSentence(label, issue) : UNREADABLE;
  // The server's own words: "A message can be at most 10 characters", "a room name cannot be empty".
  if (/^an? /i.test(message) || /^[A-Z]/.test(message)) return capitalize(message.replace(/^an? (?=[a-z])/, ''));
  if (!label) return capitalize(message);
  if (/^text /.test(message)) return `${label} ${message.slice('text '.length)}`;
  if (/^(at least|at most) \d+ characters$/.test(message)) return `${label} must be ${message}`;
  return `${label}: ${message}`;
}

/** Every issue as a sentence, repeats once, joined. */
export const issuesSentence = (issues: readonly Issue[]): string => [...new Set(issues.map(issueSentence))].join('; ');

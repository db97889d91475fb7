import { linkify } from '../../trpc/linkify.ts';
import { mentionParts, type Resolved } from '../../trpc/mention-marks.ts';

/**
 * Message text as text: React escapes every character, and only http(s) URLs
 * become links (built as elements, never as HTML). No markup a user writes can
 * run here. The mentions the server resolved (`mentions`) are marked, outside
 * links only, as text in a span.
 */
export function MessageText({ text, mentions = null }: { text: string; mentions?: Resolved | null }) {
  return (
    <>
      {linkify(text).map((segment, i) =>
        segment.kind === 'link' ? (
          <a key={i} href={segment.href} target="_blank" rel="noopener noreferrer nofollow ugc">
            {segment.text}
          </a>
        ) : mentions ? (
          mentionParts(segment.text, mentions).map((part, j) =>
            part.kind === 'text' ? (
              part.text
            ) : (
              <span key={`${i}-${j}`} className={part.me ? 'mention mention-me' : 'mention'} data-testid="mention">
                {part.text}
              </span>
            ),
          )
        ) : (
          segment.text
        ),
      )}
    </>
  );
}

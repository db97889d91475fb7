import { linkify } from '../../trpc/linkify.ts';

/**
 * Message text as text: React escapes every character, and only http(s) URLs
 * become links (built as elements, never as HTML). No markup a user writes can
 * run here.
 */
export function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((segment, i) =>
        segment.kind === 'text' ? (
          segment.text
        ) : (
          <a key={i} href={segment.href} target="_blank" rel="noopener noreferrer nofollow ugc">
            {segment.text}
          </a>
        ),
      )}
    </>
  );
}

export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// Candidates start at an explicit http:// or https:// and run to whitespace or a
// character that cannot be part of a URL as people type them. Anything else
// (javascript:, data:, "www.") stays text.
const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that usually ends the sentence rather than the URL.
const TRAILING = /[.,;:!?)\]}*_~]+$/;

/** The URL when `candidate` is a well-formed http(s) URL, else null. */
function safeHref(candidate: string): string | null {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname) return null;
  return url.href;
}

/** Keeps a closing bracket that pairs with an opening one inside the URL (Wikipedia links). */
function trimTrailing(candidate: string): string {
  let url = candidate.replace(TRAILING, '');
  const rest = candidate.slice(url.length);
  for (const char of rest) {
    const open = char === ')' ? '(' : char === ']' ? '[' : char === '}' ? '{' : null;
    if (!open) break;
    const opens = url.split(open).length - 1;
    const closes = url.split(char).length - 1;
    if (opens <= closes) break;
    url += char;
  }
  return url;
}

/**
 * Splits message text into plain text and http(s) links. The caller renders
 * both as React text and <a> elements (never as HTML), so nothing a user
 * writes can become markup, and only http(s) can become an href.
 */
export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    const candidate = trimTrailing(match[0]);
    const href = safeHref(candidate);
    if (!href) continue;
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) });
    segments.push({ kind: 'link', text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}

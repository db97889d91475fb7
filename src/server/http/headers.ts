import type { IncomingHttpHeaders } from 'node:http';

/**
 * One request header as a single string, or undefined when absent. Node hands
 * most headers over as strings, but its types (and the requests other code
 * builds) allow arrays; a read through here cannot throw on either. Repeats
 * are joined as Node joins them: cookies with `; `, the rest with `, `.
 */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (Array.isArray(value)) return value.join(name === 'cookie' ? '; ' : ', ');
  return typeof value === 'string' ? value : undefined;
}

/**
 * The request target as a URL, or null when it is none (`http://[`). Origin
 * form (`/path?query`) and absolute form (`http://host/path`) both parse;
 * only the path and query are ours to use, never the host it names.
 */
export function requestTarget(url: string | undefined): URL | null {
  try {
    return new URL(url ?? '/', 'http://hearth.invalid');
  } catch {
    return null;
  }
}

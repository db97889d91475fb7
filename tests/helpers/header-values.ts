import crypto from 'node:crypto';
import fc from 'fast-check';

/** Values for the headers Hearth reads, for tests/fuzz-headers.test.ts: written byte for byte by raw-http.ts. */
export type Value = string | Uint8Array;
export type Fields = Array<[string, Value]>;

const huge = fc.tuple(fc.constantFrom('a', '%', '=', ';', ',', ' ', '\u00e9', 'Bearer '), fc.integer({ min: 500, max: 20_000 })).map(([c, n]) => c.repeat(n));
/** What any header may get: printable, non-ASCII, raw bytes (CR, LF, NUL included), empty, huge. */
const anyValue: fc.Arbitrary<Value> = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }),
  fc.constantFrom('', ' ', '%', '%%', '%E0%A4%A', '"', '\\', '\u00ff\u00fe', ',', ';', '=', '\t'),
  huge,
);

export function headerValues(people: { token: string }, origin: string, host: string): Record<string, fc.Arbitrary<Value>> {
  const token = people.token;
  const key = crypto.randomBytes(16).toString('base64');
  const of = (...special: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...special) }, { weight: 1, arbitrary: anyValue });
  return {
    cookie: of(
      'hearth_session=%',
      'hearth_session=%zz',
      'hearth_session=',
      'hearth_session',
      '=',
      ';;;',
      'a=1; hearth_session=%; b',
      'hearth_session="x',
      `hearth_session=${token}`,
      `hearth_session=${token}%`,
      `__proto__=1; hearth_session=${token}`,
      `hearth_session=${'%'.repeat(3000)}`,
    ),
    authorization: of('Bearer', 'Bearer ', 'Bearer  ', 'Bearer %', `Bearer ${token}`, `bearer ${token}`, 'Basic Zm9vOmJhcg==', `Bearer ${token}\u00e9`),
    origin: of('null', 'http://[', 'http://', 'file://', origin, `${origin}/`, 'https://evil.example', `${origin}\u00e9`, 'javascript:alert(1)'),
    host: of('[', '', 'a b', 'localhost:99999', host, `${host}:1`, '[::1', 'http://[', 'xn--', '\u00e9'),
    'x-forwarded-for': of('', ',,,', '1.2.3.4', '::ffff:1.2.3.4', '1.2.3.4, ', 'unknown', ', ::1', `${'9.9.9.9,'.repeat(500)}`, '[::1]:80'),
    'x-forwarded-proto': of('https', 'http', 'HTTPS', 'https, http', ''),
    'sec-fetch-site': of('same-origin', 'none', 'cross-site', 'same-site', ''),
    'content-type': of(
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json;',
      'text/plain',
      'multipart/form-data; boundary=',
      ';',
      '',
    ),
    'content-length': of('0', '-1', 'abc', '1e3', '99999999999999999999', ' 2', '2 ', '0x10', '2, 2', '3'),
    'sec-websocket-key': of(key, key, key, '', 'short', crypto.randomBytes(17).toString('base64')),
    'sec-websocket-version': of('13', '13', '13', '8', '', '13, 8', '-1', '99999999999'),
    'sec-websocket-protocol': of('trpc', 'a, b', '', ',', 'a,,b', 'a, a', 'a b', 'x'.repeat(5000)),
    'sec-websocket-extensions': of(
      'permessage-deflate',
      'permessage-deflate; client_max_window_bits',
      'permessage-deflate; client_max_window_bits=abc',
      'permessage-deflate; server_max_window_bits=7',
      ';',
      'x; y="',
      'permessage-deflate, permessage-deflate',
    ),
  };
}

/**
 * Each header absent, once, or twice (Node joins some repeats and drops
 * others). Mostly absent, so that many requests get past the first bad
 * header to the code behind it.
 */
export function headersFor(names: string[], values: Record<string, fc.Arbitrary<Value>>): fc.Arbitrary<Fields> {
  const one = (name: string) =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constant([]) },
      { weight: 3, arbitrary: values[name]!.map((v): Fields => [[name, v]]) },
      {
        weight: 1,
        arbitrary: fc.tuple(values[name]!, values[name]!).map(([a, b]): Fields => [
          [name, a],
          [name, b],
        ]),
      },
    );
  const many = fc.tuple(...names.map(one)).map((lists) => lists.flat());
  // Or one header alone, so that its own handling is what answers.
  const single = fc.constantFrom(...names).chain((name) => values[name]!.map((v): Fields => [[name, v]]));
  return fc.oneof(many, single);
}

export const HTTP_HEADERS = [
  'cookie',
  'authorization',
  'origin',
  'host',
  'x-forwarded-for',
  'x-forwarded-proto',
  'sec-fetch-site',
  'content-type',
  'content-length',
];
export const UPGRADE_HEADERS = [
  'cookie',
  'authorization',
  'origin',
  'host',
  'x-forwarded-for',
  'x-forwarded-proto',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-protocol',
  'sec-websocket-extensions',
  'sec-fetch-site',
];
export const BAD_TARGETS = [
  'http://[',
  'http://[/api/trpc',
  'http://evil.example/api/trpc/auth.me',
  '//',
  '//evil/api/trpc',
  '*',
  '/api/trpc/%',
  '/api/trpc/auth.me?input=%',
  '/%00',
  '/api/trpc/%E0%A4%A',
  '/api/trpc?connectionParams=%',
];
export const GET_TARGETS = [
  '/api/trpc/auth.me',
  '/api/trpc/rooms.list',
  '/api/trpc/auth.me,rooms.list?batch=1&input=%7B%7D',
  '/api/trpc/messages.history?input=%7B%22roomId%22%3A%22x%22%7D',
  '/healthz',
  '/metrics',
  ...BAD_TARGETS,
];
export const POST_TARGETS = ['/api/trpc/messages.send', '/api/trpc/rooms.create', '/api/trpc/auth.login', '/api/trpc/auth.me', '/healthz', ...BAD_TARGETS];
export const UPGRADE_TARGETS = ['/api/trpc', '/api/trpc', '/api/trpc?connectionParams=1', '/elsewhere', ...BAD_TARGETS];
export const target = (targets: string[]) =>
  fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...targets) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => `/${s}`) });

/** Where the request declares more body than it sends, the server may wait for the rest and drop it: no answer is owed. */
export function declaresMore(headers: Fields, sent: number): boolean {
  return headers.some(
    ([name, value]) =>
      name === 'content-length' && /^\s*\d+\s*$/.test(Buffer.from(value).toString('latin1')) && Number(Buffer.from(value).toString('latin1')) > sent,
  );
}

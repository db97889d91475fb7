import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { decrypt } from 'http_ece';
import { tempDir } from './server.ts';

/** How the push service answers a device's pushes: a status, `slow` (after `slowMs`), or `hang` (never). */
export type Answer = 201 | 401 | 404 | 410 | 429 | 500 | 503 | 'slow' | 'hang';

export interface Push {
  device: string;
  /** The decrypted payload, parsed. */
  payload: { notificationId: string; title: string; body: string; url: string };
  /** VAPID claims as verified: audience, subject, and the key that signed. */
  vapid: { aud: string; sub: string; exp: number; k: string };
  ttl: number;
  topic?: string;
  answered: Answer;
  /** When it arrived (ms since the epoch). */
  receivedAt: number;
}

interface Entry {
  device: Device;
  ecdh: crypto.ECDH;
  answer: Answer;
  headers: Record<string, string>;
}

export interface Device {
  id: string;
  /** What the browser would hand to push.subscribe. */
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** Pushes accepted or not, in arrival order, each decrypted and verified. */
  pushes: Push[];
  /** From now on, answer so, with these response headers (`Retry-After`, say). */
  answer(answer: Answer, headers?: Record<string, string>): void;
}

/**
 * A push service as RFC 8030 describes one, for tests: HTTPS on 127.0.0.1
 * with a certificate made for this run (the server trusts it through
 * PUSH_CA_FILE). It checks each push's VAPID Authorization (RFC 8292: an ES256
 * JWT for this origin, signed by the key in `k=`) and decrypts its aes128gcm
 * body with the device's keys (RFC 8291), as a browser vendor's service and
 * the browser together would; a push failing either is answered 400/401 and
 * kept in `rejected`.
 */
export async function startPushService(options: { slowMs?: number } = {}) {
  const dir = await tempDir();
  const keyFile = path.join(dir, 'key.pem');
  const caFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', caFile].concat([
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]),
    { stdio: 'ignore' },
  );
  const devices = new Map<string, Entry>();
  const rejected: string[] = [];
  const sockets = new Set<Duplex>();
  let requests = 0;

  const server = https.createServer({ key: fs.readFileSync(keyFile), cert: fs.readFileSync(caFile) }, (req, res) => {
    requests += 1;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = devices.get(req.url?.replace(/^\/push\//, '') ?? '');
      if (req.method !== 'POST' || !entry) return void res.writeHead(404).end();
      let push: Push;
      try {
        push = check(req.headers, Buffer.concat(chunks), entry, `https://127.0.0.1:${port}`);
      } catch (error) {
        rejected.push((error as Error).message);
        return void res.writeHead((error as { status?: number }).status ?? 400).end((error as Error).message);
      }
      entry.device.pushes.push(push);
      if (entry.answer === 'hang') return;
      if (entry.answer === 'slow') return void setTimeout(() => res.writeHead(201).end(), options.slowMs ?? 2000);
      res.writeHead(entry.answer, entry.headers).end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  return {
    /** The certificate to trust (PUSH_CA_FILE). */
    caFile,
    host: '127.0.0.1',
    /** Requests received, valid or not, retries included. */
    get requests() {
      return requests;
    },
    rejected,
    /** A new device: its own keys, its own endpoint, answering 201 until told otherwise. */
    device(): Device {
      const id = crypto.randomUUID();
      const ecdh = crypto.createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = crypto.randomBytes(16).toString('base64url');
      const entry = {
        ecdh,
        answer: 201 as Answer,
        headers: {} as Record<string, string>,
        device: {
          id,
          subscription: { endpoint: `https://127.0.0.1:${port}/push/${id}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth } },
          pushes: [] as Push[],
          answer(answer: Answer, headers: Record<string, string> = {}) {
            entry.answer = answer;
            entry.headers = headers;
          },
        },
        auth,
      };
      devices.set(id, entry);
      return entry.device;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fs.promises.rm(dir, { recursive: true, force: true });
    },
  };
}

export type PushService = Awaited<ReturnType<typeof startPushService>>;

function fail(status: number, message: string): never {
  throw Object.assign(new Error(message), { status });
}

function check(headers: NodeJS.Dict<string | string[]>, body: Buffer, entry: Entry, origin: string): Push {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(String(headers.authorization ?? ''));
  if (!match) fail(401, 'no VAPID Authorization');
  const [token, k] = [match[1]!, match[2]!];
  const [head, claims, signature] = token.split('.') as [string, string, string];
  const point = Buffer.from(k, 'base64url');
  const key = crypto.createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const signed = crypto.verify('sha256', Buffer.from(`${head}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  if (!signed || JSON.parse(Buffer.from(head, 'base64url').toString()).alg !== 'ES256') fail(401, 'VAPID signature does not verify');
  const vapid = JSON.parse(Buffer.from(claims, 'base64url').toString()) as { aud: string; sub: string; exp: number };
  const now = Date.now() / 1000;
  if (vapid.aud !== origin) fail(401, `VAPID audience ${vapid.aud} is not ${origin}`);
  if (!(vapid.exp > now && vapid.exp <= now + 24 * 3600)) fail(401, 'VAPID expiry not within 24 hours');
  if (!/^(mailto:|https:)/.test(vapid.sub)) fail(401, 'VAPID subject is not mailto: or https:');
  if (headers['content-encoding'] !== 'aes128gcm') fail(400, 'Content-Encoding is not aes128gcm');
  if (headers.ttl === undefined) fail(400, 'no TTL');
  const auth = entry.device.subscription.keys.auth;
  const plain = decrypt(body, { version: 'aes128gcm', privateKey: entry.ecdh, authSecret: auth });
  return {
    device: entry.device.id,
    payload: JSON.parse(plain.toString('utf8')) as Push['payload'],
    vapid: { ...vapid, k },
    ttl: Number(headers.ttl),
    topic: headers.topic as string | undefined,
    answered: entry.answer,
    receivedAt: Date.now(),
  };
}

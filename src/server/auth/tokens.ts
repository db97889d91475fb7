import crypto from 'node:crypto';

/** 256 random bits, URL-safe: what the client holds. */
export const newSessionToken = () => crypto.randomBytes(32).toString('base64url');

/** What the database holds: a stolen database yields no usable tokens. */
export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

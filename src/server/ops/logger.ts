import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../app/config.ts';

export type { Logger };

/**
 * Where credentials could ride along in a logged object: tokens and passwords
 * at any of the first four levels (an input, a context, an error's data), and
 * the headers that carry them. Log lines never include request bodies or query
 * strings in the first place; this is the net under that rule.
 */
const REDACT = [
  'token',
  'password',
  'newPassword',
  'connectionParams',
  'authorization',
  'cookie',
  'METRICS_TOKEN',
  'SETUP_TOKEN',
  'currentPassword',
  'setupToken',
  'inviteToken',
  '*.token',
  '*.password',
  '*.newPassword',
  '*.connectionParams',
  '*.authorization',
  '*.cookie',
  '*.METRICS_TOKEN',
  '*.SETUP_TOKEN',
  '*.currentPassword',
  '*.setupToken',
  '*.inviteToken',
  '*.*.token',
  '*.*.password',
  '*.*.connectionParams',
  '*.*.*.token',
  '*.*.*.password',
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.*.headers.authorization',
  '*.*.headers.cookie',
];

/** Structured JSON logs (to stdout unless given a destination); credentials are redacted wherever they might be attached. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: DestinationStream): Logger {
  const options = { level: config.LOG_LEVEL, base: { service: 'hearth' }, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

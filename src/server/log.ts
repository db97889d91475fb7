import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/** Structured JSON logs; credentials are redacted wherever they might be attached. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: { service: 'hearth' },
    redact: {
      paths: ['token', 'password', '*.token', '*.password', 'headers.authorization', 'headers.cookie', '*.headers.cookie', '*.headers.authorization'],
      censor: '[redacted]',
    },
  });
}

import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/server/app/config.ts';
import { clientAddress } from '../src/server/http/client-ip.ts';

describe('limit settings', () => {
  it('default to the seeds: 60 messages and 10 typing starts a minute, 5 sockets per user, 120 new ones a minute per address (30 charged to a user), 1,000 open per address, 10,000 in all', () => {
    expect(loadConfig({})).toMatchObject({
      MESSAGES_PER_MINUTE: 60,
      MESSAGE_BURST: 20,
      TYPING_STARTS_PER_MINUTE: 10,
      MAX_CONNECTIONS_PER_USER: 5,
      WS_CONNECTS_PER_MINUTE_PER_IP: 120,
      WS_CONNECTS_PER_MINUTE_PER_USER: 30,
      MAX_CONNECTIONS_PER_IP: 1000,
      MAX_CONNECTIONS: 10_000,
      LOGIN_ATTEMPTS_PER_MINUTE_PER_IP: 20,
      LOGIN_MAX_FAILURES: 5,
      WS_AUTH_TIMEOUT_MS: 10_000,
      MAX_SUBSCRIPTIONS_PER_CONNECTION: 100,
      WS_MAX_BUFFERED_BYTES: 4 * 1024 * 1024,
      TRUST_PROXY: 'loopback',
    });
    expect(loadConfig({}).METRICS_TOKEN).toBeUndefined(); // /metrics: loopback only
    // Sockets of an ended session are closed "within 5 s": the recheck runs at least that often.
    expect(loadConfig({}).SESSION_RECHECK_MS).toBeLessThanOrEqual(5000);
  });

  it('takes overrides, and names a bad metrics token without echoing it', () => {
    expect(loadConfig({ MAX_CONNECTIONS_PER_USER: '50', MESSAGE_BURST: '5', TRUST_PROXY: 'true' })).toMatchObject({
      MAX_CONNECTIONS_PER_USER: 50,
      MESSAGE_BURST: 5,
      TRUST_PROXY: 'true',
    });
    let message = '';
    try {
      loadConfig({ METRICS_TOKEN: 'hunter2', MAX_CONNECTIONS: '0' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('METRICS_TOKEN: must be at least 16 characters');
    expect(message).toContain('MAX_CONNECTIONS:');
    expect(message).not.toContain('hunter2');
  });

  it('believes X-Forwarded-For only from the peers TRUST_PROXY names, and then only its last entry', () => {
    const req = (remoteAddress: string, forwarded?: string) =>
      ({ socket: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as IncomingMessage;
    expect(clientAddress(req('127.0.0.1', '6.6.6.6, 198.51.100.7'), 'loopback')).toBe('198.51.100.7');
    expect(clientAddress(req('::ffff:127.0.0.1', '198.51.100.7'), 'loopback')).toBe('198.51.100.7');
    expect(clientAddress(req('203.0.113.1', '198.51.100.7'), 'loopback')).toBe('203.0.113.1');
    expect(clientAddress(req('203.0.113.1', '198.51.100.7'), 'true')).toBe('198.51.100.7');
    expect(clientAddress(req('127.0.0.1', '198.51.100.7'), 'false')).toBe('127.0.0.1');
    expect(clientAddress(req('::ffff:203.0.113.1'), 'loopback')).toBe('203.0.113.1');
  });
});

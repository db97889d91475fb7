import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/server/app/config.ts';
import { runHearthToExit } from './helpers/process.ts';

describe('configuration', () => {
  it('has working defaults with no environment at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATABASE_URL: 'file:./data/hearth.db',
      ALLOWED_ORIGINS: [],
      LOG_LEVEL: 'info',
      MAX_PAYLOAD_BYTES: 65_536,
    });
  });

  it('parses ALLOWED_ORIGINS into exact origins', () => {
    const config = loadConfig({ ALLOWED_ORIGINS: 'https://chat.example.com, http://localhost:5173/' });
    expect(config.ALLOWED_ORIGINS).toEqual(['https://chat.example.com', 'http://localhost:5173']);
  });

  it('names each bad variable, the problem and the value given', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ALLOWED_ORIGINS: 'ftp://files', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/^Invalid configuration:/);
    expect(message).toContain('PORT:');
    expect(message).toContain('(got "eighty")');
    expect(message).toContain('DATABASE_URL: must start with file: (SQLite) or postgresql://');
    expect(message).toContain('ALLOWED_ORIGINS: "ftp://files" is not an http(s) origin');
    expect(message).toContain('LOG_LEVEL:');
  });

  it('makes the server exit 1 at start-up with that message, before opening anything', async () => {
    // A database path of its own, under the temp dir: a server that did open it must not write into the checkout.
    const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-config-')), 'hearth.db');
    const { code, output } = await runHearthToExit({ PORT: '70000', DATABASE_URL: `file:${dbFile}` });
    expect(fs.existsSync(dbFile)).toBe(false);
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration:');
    expect(output).toContain('PORT:');
    expect(output).toContain('(got "70000")');
  });
});

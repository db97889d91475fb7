import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/server/app/config.ts';
import { MISDIRECTED } from '../src/server/http/origin.ts';
import { request, upgradeStatus, type Addressed } from './helpers/addressed.ts';
import { startServer, TEST_SETUP_TOKEN, TestClock, type TestServer } from './helpers/server.ts';

const PASSWORD = 'correct horse battery';
const portOf = (hearth: TestServer) => new URL(hearth.url).port;
const me = (hearth: TestServer, via: Addressed) => request(hearth.url, '/api/trpc/auth.me', via).then((r) => r.status);
const register = (hearth: TestServer, username: string, via: Addressed) =>
  request(hearth.url, '/api/trpc/auth.register', { ...via, body: { username, password: PASSWORD, setupToken: TEST_SETUP_TOKEN } });

describe('the Host a request names (DNS rebinding)', () => {
  it('without PUBLIC_URL, a server on loopback answers loopback names, and refuses a rebound name even with an X-Forwarded-For the page added', async () => {
    const hearth = await startServer();
    const port = portOf(hearth);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `127.8.9.10:${port}`, `[::1]:${port}`, `LocalHost:${port}`]) {
      expect(await me(hearth, { host }), host).toBe(401);
      expect(await upgradeStatus(hearth.url, { host }), host).toBe(101);
    }
    // The attack: attacker.example now resolves to 127.0.0.1, and the page is same-origin with it.
    const rebound = { host: `attacker.example:${port}`, headers: { origin: `http://attacker.example:${port}` } };
    for (const via of [rebound, { ...rebound, headers: { ...rebound.headers, 'x-forwarded-for': '203.0.113.9' } }]) {
      const refused = await register(hearth, 'mallory', via);
      expect([refused.status, refused.type, refused.body]).toEqual([421, 'text/plain', `${MISDIRECTED}\n`]);
      expect(await upgradeStatus(hearth.url, via)).toBe(421);
    }
    expect(await hearth.server.services.store.prisma.user.count()).toBe(0); // mallory would have been the admin
    // Monitors address the server by any name.
    expect((await request(hearth.url, '/healthz', rebound)).status).toBe(200);
    expect((await request(hearth.url, '/metrics', rebound)).status).toBe(200);
    // The same registration under the server's own name goes through.
    const own = { host: `127.0.0.1:${port}`, headers: { origin: `http://127.0.0.1:${port}` } };
    expect((await register(hearth, 'alice', own)).status).toBe(200);
  });

  it('answers the name a reverse proxy TRUST_PROXY believes was reached by; not from other peers, nor with TRUST_PROXY=false', async () => {
    const hearth = await startServer(); // TRUST_PROXY=loopback: our requests come from 127.0.0.1
    const proxied = { host: 'chat.example.com', headers: { origin: 'https://chat.example.com', 'x-forwarded-for': '203.0.113.9' } };
    expect((await register(hearth, 'alice', proxied)).status).toBe(200);
    expect(await upgradeStatus(hearth.url, proxied)).toBe(101);
    expect(await me(hearth, { host: 'chat.example.com:8443' })).toBe(401);

    const onlyTwo = await startServer({ env: { TRUST_PROXY: '127.0.0.2' } });
    expect(await me(onlyTwo, { host: 'chat.example.com', from: '127.0.0.2' })).toBe(401);
    expect(await me(onlyTwo, { host: 'chat.example.com', from: '127.0.0.3' })).toBe(421);
    expect(await me(onlyTwo, { host: `localhost:${portOf(onlyTwo)}`, from: '127.0.0.3' })).toBe(401);

    const none = await startServer({ env: { TRUST_PROXY: 'false' } });
    expect(await me(none, { host: 'chat.example.com' })).toBe(421);
    expect(await upgradeStatus(none.url, { host: 'chat.example.com' })).toBe(421);
  });
});

describe('PUBLIC_URL', () => {
  it("answers only PUBLIC_URL's host (its port or the scheme's default); /healthz and /metrics answer any", async () => {
    const hearth = await startServer({ env: { PUBLIC_URL: 'https://chat.example.com' } });
    for (const host of ['chat.example.com', 'CHAT.example.com:443']) expect(await me(hearth, { host }), host).toBe(401);
    for (const host of [`127.0.0.1:${portOf(hearth)}`, 'chat.example.com:8443', 'attacker.example', 'chat.example.com.attacker.example']) {
      expect(await me(hearth, { host }), host).toBe(421);
      expect(await upgradeStatus(hearth.url, { host }), host).toBe(421);
    }
    expect((await request(hearth.url, '/healthz')).status).toBe(200);
    expect((await request(hearth.url, '/metrics')).status).toBe(200); // loopback, no proxy: METRICS_TOKEN unset
  });

  it("is the server's own origin, scheme included, for the CSRF and WebSocket Origin checks", async () => {
    const hearth = await startServer({ env: { PUBLIC_URL: 'https://chat.example.com' } });
    const from = (origin: string) => ({ host: 'chat.example.com', headers: { origin } });
    const downgraded = await register(hearth, 'mallory', from('http://chat.example.com'));
    expect(downgraded.status).toBe(403);
    expect(JSON.parse(downgraded.body).error.data.code).toBe('FORBIDDEN');
    expect(await upgradeStatus(hearth.url, from('http://chat.example.com'))).toBe(403);
    expect(await hearth.server.services.store.prisma.user.count()).toBe(0);

    expect((await register(hearth, 'alice', from('https://chat.example.com'))).status).toBe(200);
    expect(await upgradeStatus(hearth.url, from('https://chat.example.com'))).toBe(101);
  });

  it('must be a bare http(s) origin', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://Chat.Example.com/' }).PUBLIC_URL).toBe('https://chat.example.com');
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:3000' }).PUBLIC_URL).toBe('http://localhost:3000');
    expect(loadConfig({}).PUBLIC_URL).toBeUndefined();
    for (const bad of ['chat.example.com', 'https://chat.example.com/hearth', 'ftp://chat.example.com', 'https://user:pw@chat.example.com']) {
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL: must be the http\(s\) origin browsers use/);
    }
  });
});

describe('TRUST_PROXY', () => {
  // One login a minute per address, on a clock that never moves: after a
  // request, the address it was put down to has none left ('login_ip').
  const server = (trust?: string) =>
    startServer({ clock: new TestClock(), env: { LOGIN_ATTEMPTS_PER_MINUTE_PER_IP: '1', ...(trust ? { TRUST_PROXY: trust } : {}) } });
  let n = 0;
  const login = async (hearth: TestServer, via: { forwardedFor?: string; from?: string } = {}) => {
    const headers: Record<string, string> = via.forwardedFor ? { 'x-forwarded-for': via.forwardedFor } : {};
    const answer = await request(hearth.url, '/api/trpc/auth.login', { from: via.from, headers, body: { username: `someone${++n}`, password: 'a guess' } });
    return answer.status === 429 ? JSON.parse(answer.body).error.data.limit : answer.status;
  };
  /** Which of `addresses` the request was put down to, asked (as their only hop) through a peer that is believed. */
  const charged = async (hearth: TestServer, addresses: string[], from?: string) => {
    const spent: string[] = [];
    for (const address of addresses) if ((await login(hearth, { forwardedFor: address, from })) === 'login_ip') spent.push(address);
    return spent;
  };

  it('loopback (the default) walks X-Forwarded-For leftwards through loopback proxies to the first address it does not believe', async () => {
    const hearth = await server();
    expect(await login(hearth, { forwardedFor: '6.6.6.6, 198.51.100.7, 127.0.0.9' })).toBe(401);
    expect(await charged(hearth, ['6.6.6.6', '198.51.100.7', '127.0.0.9'])).toEqual(['198.51.100.7']);
  });

  it('a list of addresses and CIDR ranges believes those peers and hops only', async () => {
    const hearth = await server('127.0.0.2, 10.0.0.0/8');
    expect(await login(hearth, { from: '127.0.0.2', forwardedFor: '6.6.6.6, 203.0.113.7, 10.1.2.3' })).toBe(401);
    expect(await charged(hearth, ['6.6.6.6', '203.0.113.7', '10.1.2.3'], '127.0.0.2')).toEqual(['203.0.113.7']);
    // From a peer not on the list, X-Forwarded-For is the client's own writing: the peer is charged.
    expect(await login(hearth, { from: '127.0.0.3', forwardedFor: '198.51.100.7' })).toBe(401);
    expect(await charged(hearth, ['198.51.100.7'], '127.0.0.2')).toEqual([]);
    expect(await login(hearth, { from: '127.0.0.3' })).toBe('login_ip');

    const named = await server('loopback,uniquelocal');
    expect(await login(named, { forwardedFor: '203.0.113.7, 192.168.1.5, 10.1.2.3' })).toBe(401);
    expect(await charged(named, ['192.168.1.5', '10.1.2.3', '203.0.113.7'])).toEqual(['203.0.113.7']);
  });

  it('a hop count believes that many proxies, whoever they are; true is one hop; false believes none', async () => {
    const twoHops = await server('2');
    expect(await login(twoHops, { forwardedFor: '6.6.6.6, 203.0.113.7, 192.0.2.1' })).toBe(401);
    expect(await charged(twoHops, ['6.6.6.6', '192.0.2.1', '203.0.113.7'])).toEqual(['203.0.113.7']);

    const anyPeer = await server('true');
    expect(await login(anyPeer, { forwardedFor: '6.6.6.6, 203.0.113.7, 127.0.0.9' })).toBe(401);
    expect(await charged(anyPeer, ['6.6.6.6', '203.0.113.7', '127.0.0.9'])).toEqual(['127.0.0.9']);

    const nobody = await server('false');
    expect(await login(nobody, { forwardedFor: '198.51.100.7' })).toBe(401);
    expect(await login(nobody, { from: '127.0.0.1' })).toBe('login_ip');
  });

  it('is checked at start-up, naming the variable and what is wrong', () => {
    for (const good of ['loopback', 'true', 'false', '2', '10.0.0.0/8,192.168.1.5', 'loopback, uniquelocal', 'fd00::/8']) {
      expect(loadConfig({ TRUST_PROXY: good }).TRUST_PROXY, good).toBe(good);
    }
    const problem = (setting: string) => {
      try {
        loadConfig({ TRUST_PROXY: setting });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error(`TRUST_PROXY=${setting} was taken`);
    };
    expect(problem('proxy.internal')).toContain('TRUST_PROXY: invalid IP address: proxy.internal: must be loopback, true, false, a hop count');
    expect(problem('10.0.0.0/33')).toContain('TRUST_PROXY: invalid range on address: 10.0.0.0/33');
    expect(problem('10.0.0.1,,10.0.0.2')).toContain('TRUST_PROXY: has an empty entry');
    expect(problem('')).toContain('TRUST_PROXY:');
  });
});

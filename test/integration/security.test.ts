/**
 * Accounts, sessions and CSRF over the real app: a fresh install asks for the
 * admin and lets nothing else in; sessions live in httpOnly, SameSite=Strict
 * cookies; every write needs the session's CSRF token; sign-in is rate
 * limited; passwords are stored as scrypt hashes only.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../server/engine.ts';
import { startServer } from '../helpers/server.ts';
import { verifyPassword, hashPassword } from '../../server/security/passwords.ts';
import { Browser, PASSWORD, startSecureServer, type SecureServer } from '../helpers/session.ts';

const engine = createEngine();
let fresh: SecureServer;
let srv: SecureServer;

beforeAll(async () => {
  fresh = await startSecureServer({ engine, fresh: true });
  srv = await startSecureServer({ engine, loginLimit: 100 });
});
afterAll(async () => {
  await fresh?.close();
  await srv?.close();
});

describe('first run', () => {
  it('lets nothing in until the admin account exists, then only once', async () => {
    const b = fresh.anonymous();
    expect((await b.call('GET', '/api/auth/me')).body).toMatchObject({ user: null, setupRequired: true, mode: 'accounts' });
    expect((await b.call('GET', '/api/cases')).status).toBe(401);
    expect((await b.call('POST', '/api/rank', { alterations: [] })).status).toBe(401);
    expect((await b.call('POST', '/api/auth/login', { username: 'admin', password: 'admin' })).status).toBe(401);
    // No default password, and a weak one is refused.
    const weak = await b.call('POST', '/api/auth/setup', { username: 'chief', password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('weak_password');
    const made = await b.call('POST', '/api/auth/setup', { username: 'Chief', password: PASSWORD, name: 'Board chair' });
    expect(made.status).toBe(201);
    expect(made.body.user).toEqual({ id: 'chief', name: 'Board chair', roles: ['admin'] });
    const cookie = made.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^mtbnet_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // plain http on loopback; 'auto' sets it behind https
    expect((await b.call('GET', '/api/auth/me')).body).toMatchObject({ user: { id: 'chief' }, setupRequired: false });
    expect((await b.call('GET', '/api/cases')).status).toBe(200);
    const again = await fresh.anonymous().call('POST', '/api/auth/setup', { username: 'mallory', password: PASSWORD });
    expect(again.status).toBe(409);
    expect(fresh.accounts.listUsers().map((u) => u.id)).toEqual(['chief']);
  });
});

describe('sessions and CSRF', () => {
  it('signs in, refuses a write without the CSRF token or with a wrong one, accepts it with the token', async () => {
    const b = await srv.as(['clinician']);
    const body = { id: 'SEC-1', tumourType: 'LUAD', profile: { text: 'EGFR L858R' } };
    const none = await b.call('POST', '/api/cases', body, { csrf: false });
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('csrf');
    const wrong = await b.call('POST', '/api/cases', body, { csrf: false, headers: { 'x-csrf-token': 'x'.repeat(43) } });
    expect(wrong.status).toBe(403);
    expect(await srv.store.getCase('SEC-1')).toBeUndefined();
    expect((await b.call('POST', '/api/cases', body)).status).toBe(201);
  });

  it('refuses writes from another site whatever the credentials', async () => {
    const b = await srv.as(['clinician']);
    const r = await b.call('POST', '/api/cases', { id: 'SEC-X', profile: { text: 'EGFR L858R' } }, { headers: { origin: 'https://evil.example' } });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('cross_site');
    expect((await b.call('POST', '/api/auth/login', { username: 'root', password: PASSWORD }, { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
  });

  it('takes the public name a trusted proxy forwards (X-Forwarded-Host) as this site, and only from a trusted proxy', async () => {
    const proxied = await startSecureServer({ engine, trustProxy: 'loopback' });
    try {
      const body = (id: string) => ({ id, tumourType: 'LUAD', profile: { text: 'EGFR L858R' } });
      // The proxy passes its own upstream name as Host and the board's public name as X-Forwarded-Host.
      const board = { origin: 'https://mtb.hospital.example', 'x-forwarded-host': 'mtb.hospital.example' };
      const b = await proxied.as(['clinician']);
      expect((await b.call('POST', '/api/cases', body('SEC-P1'), { headers: board })).status).toBe(201);
      const elsewhere = await b.call('POST', '/api/cases', body('SEC-P2'), { headers: { ...board, origin: 'https://evil.example' } });
      expect([elsewhere.status, elsewhere.body.error.code]).toEqual([403, 'cross_site']);
      // The same headers to a server that trusts no proxy: the forwarded name is anyone's to send.
      const direct = await (await srv.as(['clinician'])).call('POST', '/api/cases', body('SEC-P3'), { headers: board });
      expect([direct.status, direct.body.error.code]).toEqual([403, 'cross_site']);
      expect(await proxied.store.getCase('SEC-P2')).toBeUndefined();
      expect(await srv.store.getCase('SEC-P3')).toBeUndefined();
    } finally {
      await proxied.close();
    }
  });

  it('does not let a viewer write, and ends the session on sign-out', async () => {
    const v = await srv.as(['viewer']);
    expect((await v.call('GET', '/api/cases')).status).toBe(200);
    const w = await v.call('POST', '/api/cases', { id: 'SEC-V', profile: { text: 'EGFR L858R' } });
    expect(w.status).toBe(403);
    expect(w.body.error.code).toBe('forbidden');
    const cookie = v.cookie;
    expect((await v.call('POST', '/api/auth/logout')).status).toBe(204);
    const stale = new Browser(srv.server.url);
    stale.cookie = cookie;
    expect((await stale.call('GET', '/api/cases')).status).toBe(401);
  });

  it('a disabled account cannot sign in and its sessions end', async () => {
    const c = await srv.as(['clinician'], 'leaver');
    srv.accounts.setDisabled('leaver', true, 'test');
    expect((await c.call('GET', '/api/cases')).status).toBe(401);
    expect((await new Browser(srv.server.url).login('leaver', PASSWORD)).status).toBe(401);
  });

  it('a password change ends the sessions and the new password works', async () => {
    const c = await srv.as(['clinician'], 'changer');
    const newPassword = 'a much longer passphrase 2';
    expect((await c.call('POST', '/api/auth/password', { currentPassword: 'wrong password!', newPassword })).status).toBe(401);
    expect((await c.call('POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword })).status).toBe(204);
    expect((await c.call('GET', '/api/cases')).status).toBe(401);
    expect((await new Browser(srv.server.url).login('changer', newPassword)).status).toBe(200);
  });

  it('stores scrypt hashes only, never the password or the session token', async () => {
    const row = srv.store.db.prepare("SELECT password_hash FROM users WHERE id = 'root'").get() as { password_hash: string };
    expect(row.password_hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
    expect(await verifyPassword(PASSWORD, row.password_hash)).toBe(true);
    expect(await verifyPassword('wrong', row.password_hash)).toBe(false);
    expect(await hashPassword(PASSWORD)).not.toBe(row.password_hash); // salted
    const b = await srv.as(['viewer']);
    const token = b.cookie!.split('=')[1]!;
    const dump = JSON.stringify(srv.store.db.prepare('SELECT * FROM sessions').all());
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(PASSWORD);
  });

  it('limits failed sign-ins per address', async () => {
    const limited5 = await startSecureServer({ engine, loginLimit: 5 });
    try {
    const b = limited5.anonymous();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await b.login('root', `not the password ${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await b.login('root', PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    } finally {
      await limited5.close();
    }
  });
});

describe('admins manage accounts over the API', () => {
  it('adds a user with roles, changes roles, disables; others may not', async () => {
    const admin = await srv.as(['admin']);
    const made = await admin.call('POST', '/api/users', { username: 'newcurator', password: PASSWORD, roles: ['curator'] });
    expect(made.status).toBe(201);
    expect(made.body.user).toMatchObject({ id: 'newcurator', roles: ['curator'], disabled: false });
    expect(made.body.user.passwordHash).toBeUndefined();
    expect((await admin.call('PATCH', '/api/users/newcurator', { roles: ['curator', 'viewer'] })).body.user.roles).toEqual(['curator', 'viewer']);
    expect((await admin.call('PATCH', '/api/users/newcurator', { disabled: true })).body.user.disabled).toBe(true);
    expect((await admin.call('GET', '/api/users')).body.users.some((u: { id: string }) => u.id === 'newcurator')).toBe(true);
    const clin = await srv.as(['clinician']);
    expect((await clin.call('GET', '/api/users')).status).toBe(403);
    expect((await clin.call('POST', '/api/users', { username: 'x', password: PASSWORD, roles: ['admin'] })).status).toBe(403);
  });
});

describe('hardening headers', () => {
  it('sends a strict Content-Security-Policy and no framework banner', async () => {
    const r = await fetch(`${srv.server.url}/api/health`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(r.headers.get('x-powered-by')).toBeNull();
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    const root = await fetch(`${srv.server.url}/`);
    const csp = root.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('answers an internal error without a stack trace', async () => {
    const b = await srv.as(['clinician']);
    const big = await b.call('POST', '/api/auth/login', undefined, { raw: JSON.stringify({ username: 'x', password: 'y'.repeat(20_000) }) });
    expect(big.status).toBe(413);
    const bad = await b.call('POST', '/api/cases', undefined, { raw: '{"id": ' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.ts:\d+|node_modules/);
  });
});

describe('single-user mode (MTBNET_AUTH=local) answers loopback names only', () => {
  /** A request with the Host header a browser sends to a page whose name points at this machine. */
  const send = (url: string, method: string, path: string, host: string, body?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const u = new URL(url);
      const req = httpRequest({ host: u.hostname, port: u.port, method, path, headers: { host, ...(body ? { 'content-type': 'application/json', origin: `http://${host}` } : {}) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('refuses a request for another name (DNS rebinding) with 421 before anything runs, and answers localhost, 127.0.0.1 and [::1]', async () => {
    const local = await startServer({ engine, loopbackHostsOnly: true });
    try {
      const port = new URL(local.url).port;
      const rebound = await send(local.url, 'GET', '/api/health', `attacker.example:${port}`);
      expect(rebound.status).toBe(421);
      expect(JSON.parse(rebound.body).error).toMatchObject({ code: 'host_not_allowed', message: expect.stringContaining('attacker.example') });
      expect((await send(local.url, 'GET', '/', `attacker.example:${port}`)).status).toBe(421);
      const write = await send(local.url, 'POST', '/api/rank', `attacker.example:${port}`, JSON.stringify({ alterations: [] }));
      expect(write.status).toBe(421);
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
        expect((await send(local.url, 'GET', '/api/health', host)).status).toBe(200);
      }
      expect((await send(local.url, 'POST', '/api/rank', `localhost:${port}`, JSON.stringify({ alterations: [] }))).status).toBe(200);
    } finally {
      await local.close();
    }
  });
});

/**
 * Single sign-on against a real OpenID provider: oidc-provider on a loopback
 * port, driven over HTTP like a browser (redirects, cookies, the provider's
 * login and consent forms). mtbnet runs the Authorization Code flow with
 * PKCE, state and nonce through openid-client, and the tests check what the
 * board would see: a mapped group gives its role, an unmapped one is refused
 * (or gets the default role where one is configured), a wrong state, nonce or
 * PKCE verifier is a 4xx that signs no one in, a disabled account stays out,
 * the first admin cannot be made through the provider, and the session works
 * on a protected route with its CSRF token exactly as a local one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { createApp } from '../../server/api/app.ts';
import { createEngine } from '../../server/engine.ts';
import { Accounts, SSO_NO_PASSWORD } from '../../server/security/accounts.ts';
import { SqliteCaseStore } from '../../server/store/sqlite/store.ts';
import { SqliteSecurityStore } from '../../server/store/sqlite/security-store.ts';
import { BACKCHANNEL_LOGOUT_EVENT, checkOidcSettings, OIDC_CALLBACK_PATH, parseRoleMap, type OidcSettings } from '../../server/security/oidc.ts';
import { OIDC_BACKCHANNEL_LOGOUT_PATH } from '../../server/api/auth/oidc.ts';
import { Browser, PASSWORD, startSecureServer, type SecureServer } from '../helpers/session.ts';
import { CLIENT_ID, CLIENT_SECRET, listenTestProvider, WebBrowser, type TestProvider } from '../helpers/oidc-provider.ts';

const ROLE_MAP = 'mtb-admins=admin, mtb-curators=curator, mtb-clinicians=clinician, mtb-board=viewer';

let idp: TestProvider;
interface SsoServer {
  url: string;
  store: SqliteCaseStore;
  accounts: Accounts;
  close: () => Promise<void>;
}

let srv: SsoServer; // refuses unmapped groups
let lenient: SsoServer; // gives unmapped groups the viewer role
let fresh: SsoServer; // no account yet
let plain: SecureServer; // no single sign-on
let rp: SsoServer; // signs single sign-on accounts out of the provider too (MTBNET_OIDC_LOGOUT=provider)
const engine = createEngine();

function settings(url: string, extra: Partial<OidcSettings> = {}): OidcSettings {
  return checkOidcSettings({
    issuer: new URL(idp.issuer), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET,
    redirectUri: new URL(`${url}${OIDC_CALLBACK_PATH}`), name: 'Hospital SSO',
    scopes: ['openid', 'profile', 'email', 'groups'], roleMap: parseRoleMap(ROLE_MAP), ...extra,
  });
}

/**
 * Start a sign-in on `app` in `browser` and go through the provider (`issuer`, the shared one unless said) as `login`;
 * the callback URL it was sent to (not yet visited).
 */
async function toCallback(app: SsoServer, browser: WebBrowser, login: string, tamper?: (authorize: URL) => void, issuer = idp.issuer): Promise<URL> {
  const started = await browser.request(`${app.url}/api/auth/oidc/login`);
  expect(started.res.status, started.text).toBe(303);
  const authorize = new URL(started.res.headers.get('location')!);
  expect(authorize.origin).toBe(issuer);
  tamper?.(authorize);
  const { stoppedAt, last } = await browser.handshake(authorize, { login, stopAt: `${app.url}${OIDC_CALLBACK_PATH}` });
  if (!stoppedAt) throw new Error(`the provider did not send the browser back: ${last?.res.status} ${last?.text.slice(0, 500)}`);
  return stoppedAt;
}

/** The whole sign-in; the callback's answer. */
async function signIn(app: SsoServer, login: string, browser = new WebBrowser(), accept = 'application/json') {
  const cb = await toCallback(app, browser, login);
  const r = await browser.request(cb, { accept });
  return { ...r, browser, body: r.res.headers.get('content-type')?.includes('json') ? JSON.parse(r.text) : r.text };
}

/** A signed-in API client from the session cookie the callback set, with the CSRF token from /api/auth/me. */
async function apiClient(app: SsoServer, web: WebBrowser): Promise<{ b: Browser; me: any }> {
  const b = new Browser(app.url);
  b.cookie = web.cookieHeader(new URL(`${app.url}/api/cases`));
  const me = await b.call('GET', '/api/auth/me');
  return { b, me: me.body };
}

/** The real app with local accounts (an admin `root` unless `fresh`) and single sign-on; it listens before it is built, for its redirect URI. */
async function startSsoServer(extra: Partial<OidcSettings> = {}, isFresh = false, logs?: string[]): Promise<SsoServer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'mtbnet-sso-'));
  const store = new SqliteCaseStore({ file: join(dir, 'mtbnet.sqlite') });
  const accounts = new Accounts(new SqliteSecurityStore(store.db));
  if (!isFresh) await accounts.addUser({ username: 'root', password: PASSWORD, roles: ['admin'] }, 'test');
  server.on('request', createApp({ engine, store, accounts, log: (m) => logs?.push(m), loginLimit: 10_000, oidc: settings(url, extra) }));
  return {
    url, store, accounts,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

beforeAll(async () => {
  idp = await listenTestProvider({
    alice: { preferred_username: 'alice', name: 'Alice Clinician', email: 'alice@hospital.example', groups: ['mtb-clinicians', 'staff'] },
    carol: { preferred_username: 'carol', name: 'Carol Chair', groups: ['mtb-admins', 'mtb-curators'] },
    bob: { preferred_username: 'bob', name: 'Bob Elsewhere', groups: ['radiology'] },
    dave: { preferred_username: 'dave', groups: ['mtb-board'] },
    erin: { preferred_username: 'erin', groups: ['mtb-board'] },
    // The provider calls this person "root", like mtbnet's local admin: a name is not an identity.
    mallory: { preferred_username: 'root', email: 'root@elsewhere.example', groups: ['mtb-board'] },
    // For the back-channel logout tests only.
    fay: { preferred_username: 'fay', groups: ['mtb-board'] },
    gus: { preferred_username: 'gus', groups: ['mtb-board'] },
    // For the RP-initiated logout tests only.
    hal: { preferred_username: 'hal', groups: ['mtb-board'] },
    ivy: { preferred_username: 'ivy', groups: ['mtb-board'] },
  });
  srv = await startSsoServer();
  lenient = await startSsoServer({ defaultRole: 'viewer' });
  fresh = await startSsoServer({}, true);
  rp = await startSsoServer({ logout: 'provider' });
  plain = await startSecureServer({ engine });
  idp.start([srv, lenient, fresh, rp].map((s) => `${s.url}${OIDC_CALLBACK_PATH}`), undefined, `${srv.url}${OIDC_BACKCHANNEL_LOGOUT_PATH}`);
}, 60_000);

afterAll(async () => {
  await Promise.all([srv, lenient, fresh, plain, rp].map((s) => s?.close()));
  await idp?.close();
});

const rows = (app: SsoServer, sql: string, ...args: unknown[]) => app.store.db.prepare(sql).all(...args) as any[];
const lastAudit = (app: SsoServer, action: string) => app.accounts.audit.list({ newestFirst: true }).find((e) => e.action === action);

describe('single sign-on through a real OpenID provider', () => {
  it('says on /api/auth/me where to sign in with the provider, and nothing when single sign-on is off', async () => {
    const me = await (await fetch(`${srv.url}/api/auth/me`)).json();
    expect(me).toMatchObject({ user: null, setupRequired: false, mode: 'accounts', sso: { name: 'Hospital SSO', loginUrl: '/api/auth/oidc/login' } });
    expect((await plain.anonymous().call('GET', '/api/auth/me')).body.sso).toBeNull();
    const off = await plain.anonymous().call('GET', '/api/auth/oidc/login');
    expect(off.status).toBe(404);
    expect(off.body.error.code).toBe('sso_off');
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce, and a Lax cookie for this browser only', async () => {
    const web = new WebBrowser();
    const r = await web.request(`${srv.url}/api/auth/oidc/login`);
    expect(r.res.status).toBe(303);
    const to = new URL(r.res.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(`${idp.issuer}/auth`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      response_type: 'code', client_id: CLIENT_ID, redirect_uri: `${srv.url}${OIDC_CALLBACK_PATH}`, code_challenge_method: 'S256', scope: 'openid profile email groups',
    });
    for (const p of ['state', 'nonce', 'code_challenge']) expect(to.searchParams.get(p)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = r.res.headers.getSetCookie().find((c) => c.startsWith('mtbnet_oidc='))!;
    expect(cookie).toMatch(/; Path=\/api\/auth\/oidc; HttpOnly; SameSite=Lax; Max-Age=600$/);
    // The verifier stays on the server, under the hash of the cookie's handle; the browser never sees it.
    const pending = rows(srv, 'SELECT * FROM oidc_pending WHERE state = ?', to.searchParams.get('state'));
    expect(pending).toHaveLength(1);
    expect(cookie).not.toContain(pending[0].code_verifier);
    expect(pending[0].handle_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('signs in a clinician of the provider as a clinician: same session, CSRF token and audit as a local sign-in', async () => {
    const { res, browser, body } = await signIn(srv, 'alice');
    expect(res.status, JSON.stringify(body)).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const session = res.headers.getSetCookie().find((c) => c.startsWith('mtbnet_session='))!;
    expect(session).toMatch(/^mtbnet_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('mtbnet_oidc='))).toMatch(/Max-Age=0/);

    const { b, me } = await apiClient(srv, browser);
    expect(me.user).toEqual({ id: 'alice', name: 'Alice Clinician', roles: ['clinician'] });
    expect(me.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    b.csrf = me.csrfToken;
    // A protected write with the session's CSRF token works; without it, 403; an admin route, 403.
    const made = await b.call('POST', '/api/cases', { id: 'SSO-1', tumourType: 'LUAD', profile: { text: 'EGFR L858R' } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const noCsrf = await b.call('POST', '/api/cases', { id: 'SSO-2', tumourType: 'LUAD', profile: { text: 'EGFR L858R' } }, { csrf: false });
    expect([noCsrf.status, noCsrf.body.error.code]).toEqual([403, 'csrf']);
    expect((await b.call('GET', '/api/users')).status).toBe(403);
    expect((await b.call('GET', '/api/cases/SSO-2')).status).toBe(404);

    // The account: linked to the provider's issuer and subject, no password.
    const user = srv.accounts.getUser('alice')!;
    expect(user).toMatchObject({ roles: ['clinician'], sso: true, disabled: false, name: 'Alice Clinician' });
    expect(rows(srv, "SELECT password_hash FROM users WHERE id = 'alice'")[0].password_hash).toBe(SSO_NO_PASSWORD);
    expect(rows(srv, 'SELECT issuer, subject, user_id FROM oidc_identities')).toEqual([{ issuer: idp.issuer, subject: 'alice', user_id: 'alice' }]);
    expect(lastAudit(srv, 'users.add')).toMatchObject({ actor: 'oidc', target: 'alice', after: { roles: ['clinician'], via: 'oidc', issuer: idp.issuer, subject: 'alice' } });
    expect(lastAudit(srv, 'auth.login')).toMatchObject({ actor: 'alice', target: 'alice', after: { via: 'oidc', issuer: idp.issuer } });
    expect(lastAudit(srv, 'POST /api/cases')).toMatchObject({ actor: 'alice', target: 'SSO-1' });
    expect(srv.accounts.audit.verify().ok).toBe(true);

    // No password opens this account; none can be set for it.
    expect((await new Browser(srv.url).login('alice', PASSWORD)).status).toBe(401);
    const admin = new Browser(srv.url);
    await admin.login('root', PASSWORD);
    const reset = await admin.call('PATCH', '/api/users/alice', { password: 'a brand new password 123' });
    expect([reset.status, reset.body.error.code]).toEqual([409, 'conflict']);
    expect((await b.call('POST', '/api/auth/password', { currentPassword: 'x', newPassword: 'a brand new password 123' })).status).toBe(409);
    expect((await b.call('GET', '/api/auth/me')).body.user.id).toBe('alice');

    // Signing in again (the provider remembers the person) finds the same account; signing out ends the session.
    const again = await signIn(srv, 'alice', browser);
    expect(again.res.status).toBe(303);
    expect(srv.accounts.listUsers().filter((u) => u.sso).map((u) => u.id)).toEqual(['alice']);
    const second = await apiClient(srv, browser);
    second.b.csrf = second.me.csrfToken;
    const signedOut = new Browser(srv.url);
    signedOut.cookie = second.b.cookie;
    expect((await signedOut.call('GET', '/api/cases')).status).toBe(200);
    expect((await second.b.call('POST', '/api/auth/logout')).status).toBe(204);
    expect((await signedOut.call('GET', '/api/cases')).status).toBe(401);
  });

  it('maps several groups to several roles: an admin and curator of the provider can manage accounts', async () => {
    const { res, browser } = await signIn(srv, 'carol');
    expect(res.status).toBe(303);
    const { b, me } = await apiClient(srv, browser);
    expect(me.user.roles).toEqual(['admin', 'curator']);
    expect((await b.call('GET', '/api/users')).status).toBe(200);
  });

  it('refuses someone whose groups map to no role, and creates no account', async () => {
    const before = srv.accounts.listUsers().length;
    const { res, body, browser } = await signIn(srv, 'bob');
    expect(res.status).toBe(403);
    expect(body.error.code).toBe('no_role');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('mtbnet_session='))).toBe(false);
    expect(srv.accounts.listUsers()).toHaveLength(before);
    expect(rows(srv, "SELECT * FROM oidc_identities WHERE subject = 'bob'")).toEqual([]);
    expect(lastAudit(srv, 'auth.login-failed')).toMatchObject({ actor: 'oidc:bob', after: { reason: 'no mapped role', via: 'oidc', subject: 'bob', claimValues: ['radiology'] } });
    expect((await apiClient(srv, browser)).me.user).toBeNull();
    // A browser gets a page with the reason and the way back, with the same status.
    const page = await signIn(srv, 'bob', new WebBrowser(), 'text/html');
    expect(page.res.status).toBe(403);
    expect(page.res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('Sign-in with Hospital SSO failed');
    expect(page.text).toContain('<a href="/">Back to the sign-in page</a>');
  });

  it('gives someone without a mapped group the default role where one is configured', async () => {
    const { res, browser } = await signIn(lenient, 'bob');
    expect(res.status).toBe(303);
    expect((await apiClient(lenient, browser)).me.user).toEqual({ id: 'bob', name: 'Bob Elsewhere', roles: ['viewer'] });
  });

  it('rejects an answer with the wrong state (4xx), signs no one in, and the sign-in cannot be retried', async () => {
    const web = new WebBrowser();
    const cb = await toCallback(srv, web, 'erin');
    const handle = web.cookie('127.0.0.1', 'mtbnet_oidc');
    expect(handle).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const wrong = new URL(cb);
    wrong.searchParams.set('state', 'A'.repeat(43));
    const r = await web.request(wrong, { accept: 'application/json' });
    expect(r.res.status).toBe(400);
    expect(JSON.parse(r.text).error.code).toBe('sso_state');
    expect(r.res.headers.getSetCookie().some((c) => c.startsWith('mtbnet_session='))).toBe(false);
    expect(srv.accounts.getUser('erin')).toBeUndefined();
    expect(lastAudit(srv, 'auth.login-failed')).toMatchObject({ actor: '(sso)', after: { reason: 'sso_state', via: 'oidc' } });
    // The right answer afterwards, even with the browser's handle, finds its sign-in used up.
    const late = await new Browser(srv.url).call('GET', `${cb.pathname}${cb.search}`, undefined, { headers: { cookie: `mtbnet_oidc=${handle}` } });
    expect([late.status, late.body.error.code]).toEqual([400, 'sso_no_sign_in']);
    expect(srv.accounts.getUser('erin')).toBeUndefined();
  });

  it('rejects an ID token whose nonce is not the one this sign-in sent (4xx)', async () => {
    const web = new WebBrowser();
    // The request reaching the provider carries another nonce (state and PKCE unchanged): the ID token then names it.
    const cb = await toCallback(srv, web, 'erin', (authorize) => authorize.searchParams.set('nonce', 'B'.repeat(43)));
    const r = await web.request(cb, { accept: 'application/json' });
    const body = JSON.parse(r.text);
    expect(r.res.status).toBe(400);
    expect(body.error.code).toBe('sso_rejected');
    expect(body.error.message).toMatch(/nonce/);
    expect(srv.accounts.getUser('erin')).toBeUndefined();
  });

  it('fails the code exchange when the PKCE challenge at the provider is not the one of this sign-in (4xx)', async () => {
    const web = new WebBrowser();
    const cb = await toCallback(srv, web, 'erin', (authorize) => authorize.searchParams.set('code_challenge', 'C'.repeat(43)));
    const r = await web.request(cb, { accept: 'application/json' });
    expect(r.res.status).toBe(400);
    expect(JSON.parse(r.text).error).toMatchObject({ code: 'sso_rejected', message: expect.stringMatching(/invalid_grant/) });
    expect(srv.accounts.getUser('erin')).toBeUndefined();
  });

  it('refuses a callback in another browser than the one that started (login CSRF), and a replayed one', async () => {
    const web = new WebBrowser();
    const cb = await toCallback(srv, web, 'erin');
    const elsewhere = await new WebBrowser().request(cb, { accept: 'application/json' });
    expect([elsewhere.res.status, JSON.parse(elsewhere.text).error.code]).toEqual([400, 'sso_no_sign_in']);
    const handle = web.cookie('127.0.0.1', 'mtbnet_oidc');
    const ok = await web.request(cb, { accept: 'application/json' });
    expect(ok.res.status).toBe(303);
    expect(srv.accounts.getUser('erin')?.roles).toEqual(['viewer']);
    // The answer cleared the handle; sent again with it, the one-time sign-in is gone (and the code with it).
    const replay = await new Browser(srv.url).call('GET', `${cb.pathname}${cb.search}`, undefined, { headers: { cookie: `mtbnet_oidc=${handle}` } });
    expect([replay.status, replay.body.error.code]).toEqual([400, 'sso_no_sign_in']);
  });

  it('reports the provider refusing (the person cancels there) as 403', async () => {
    const web = new WebBrowser();
    const started = await web.request(`${srv.url}/api/auth/oidc/login`);
    const { stoppedAt } = await web.handshake(started.res.headers.get('location')!, { login: 'erin', stopAt: `${srv.url}${OIDC_CALLBACK_PATH}`, abort: true });
    expect(stoppedAt!.searchParams.get('error')).toBe('access_denied');
    const r = await web.request(stoppedAt!, { accept: 'application/json' });
    expect(r.res.status).toBe(403);
    expect(JSON.parse(r.text).error).toMatchObject({ code: 'sso_denied', message: expect.stringMatching(/access_denied/) });
  });

  it('keeps a disabled account out, through the provider too', async () => {
    const first = await signIn(srv, 'dave');
    expect(first.res.status).toBe(303);
    const { b } = await apiClient(srv, first.browser);
    const admin = new Browser(srv.url);
    await admin.login('root', PASSWORD);
    expect((await admin.call('PATCH', '/api/users/dave', { disabled: true })).body.user).toMatchObject({ id: 'dave', disabled: true, sso: true });
    expect((await b.call('GET', '/api/cases')).status).toBe(401);
    const again = await signIn(srv, 'dave');
    expect(again.res.status).toBe(403);
    expect(again.body.error.code).toBe('account_disabled');
    expect(again.res.headers.getSetCookie().some((c) => c.startsWith('mtbnet_session='))).toBe(false);
    expect(lastAudit(srv, 'auth.login-failed')).toMatchObject({ actor: 'dave', target: 'dave', after: { reason: 'disabled', via: 'oidc' } });
    await admin.call('PATCH', '/api/users/dave', { disabled: false });
    expect((await signIn(srv, 'dave')).res.status).toBe(303);
  });

  it('takes the roles from the provider at every sign-in, and refuses once no group maps', async () => {
    idp.accounts.dave!.groups = ['mtb-board', 'mtb-clinicians'];
    const promoted = await signIn(srv, 'dave');
    expect((await apiClient(srv, promoted.browser)).me.user.roles).toEqual(['clinician', 'viewer']);
    expect(lastAudit(srv, 'users.roles')).toMatchObject({ actor: 'oidc', target: 'dave', before: { roles: ['viewer'] }, after: { roles: ['clinician', 'viewer'] } });
    idp.accounts.dave!.groups = ['left-the-board'];
    const gone = await signIn(srv, 'dave');
    expect([gone.res.status, gone.body.error.code]).toEqual([403, 'no_role']);
    expect(srv.accounts.getUser('dave')!.roles).toEqual(['clinician', 'viewer']);
  });

  it('never hands a local account to a provider identity of the same name', async () => {
    const { res, browser } = await signIn(srv, 'mallory');
    expect(res.status).toBe(303);
    expect((await apiClient(srv, browser)).me.user).toEqual({ id: 'root-2', name: null, roles: ['viewer'] });
    expect(srv.accounts.getUser('root')).toMatchObject({ roles: ['admin'], sso: false });
    expect((await new Browser(srv.url).login('root', PASSWORD)).status).toBe(200);
  });

  it('cannot make the first admin: single sign-on opens once first-run setup has created it', async () => {
    const me = await (await fetch(`${fresh.url}/api/auth/me`)).json();
    expect(me).toMatchObject({ setupRequired: true, sso: { name: 'Hospital SSO' } });
    const web = new WebBrowser();
    const refused = await web.request(`${fresh.url}/api/auth/oidc/login`, { accept: 'application/json' });
    expect([refused.res.status, JSON.parse(refused.text).error.code]).toEqual([409, 'setup_required']);
    const page = await web.request(`${fresh.url}/api/auth/oidc/login`);
    expect([page.res.status, page.res.headers.get('content-type')]).toEqual([409, 'text/html; charset=utf-8']);
    expect(page.text).toContain('create the admin account first');
    expect(rows(fresh, 'SELECT * FROM oidc_pending')).toEqual([]);
    expect(fresh.accounts.listUsers()).toEqual([]);
    // An admin of the provider who slipped past the login route (a sign-in started before) is refused at the callback too.
    fresh.store.db.prepare('INSERT INTO users (id, name, roles, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)')
      .run('tmp', null, '["viewer"]', SSO_NO_PASSWORD, 'now', 'now');
    const cb = await toCallback(fresh, web, 'carol');
    fresh.store.db.prepare("DELETE FROM users WHERE id = 'tmp'").run();
    const late = await web.request(cb, { accept: 'application/json' });
    expect([late.res.status, JSON.parse(late.text).error.code]).toEqual([409, 'setup_required']);
    expect(fresh.accounts.listUsers()).toEqual([]);
    // First-run setup as ever; then the provider's admin gets in.
    const setup = await new Browser(fresh.url).call('POST', '/api/auth/setup', { username: 'chair', password: PASSWORD });
    expect(setup.status).toBe(201);
    const after = await signIn(fresh, 'carol');
    expect(after.res.status).toBe(303);
    expect(fresh.accounts.listUsers().map((u) => [u.id, u.roles, u.sso])).toEqual([['carol', ['admin', 'curator'], true], ['chair', ['admin'], false]]);
  });

  it('answers bad input with 400 and changes nothing', async () => {
    const anon = new Browser(srv.url);
    const extra = await anon.call('GET', '/api/auth/oidc/login?next=https://evil.example');
    expect([extra.status, extra.body.error.code]).toEqual([400, 'invalid_input']);
    const pendingBefore = rows(srv, 'SELECT COUNT(*) AS n FROM oidc_pending')[0].n;
    const twice = await anon.call('GET', '/api/auth/oidc/callback?code=a&state=b&state=c');
    expect([twice.status, twice.body.error.code]).toEqual([400, 'invalid_input']);
    const none = await anon.call('GET', '/api/auth/oidc/callback?code=a&state=b');
    expect([none.status, none.body.error.code]).toEqual([400, 'sso_no_sign_in']);
    const forged = await anon.call('GET', '/api/auth/oidc/callback?code=a&state=b', undefined, { headers: { cookie: 'mtbnet_oidc=not-a-handle' } });
    expect([forged.status, forged.body.error.code]).toEqual([400, 'sso_no_sign_in']);
    expect(rows(srv, 'SELECT COUNT(*) AS n FROM oidc_pending')[0].n).toBe(pendingBefore);
  });

  it('limits sign-in starts per address (10 x the sign-in limit per 15 minutes)', async () => {
    const app = createApp({ engine, log: () => {}, store: srv.store, accounts: srv.accounts, loginLimit: 1, oidc: settings(srv.url) });
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await fetch(`${url}/api/auth/oidc/login`, { redirect: 'manual' })).status);
      expect(statuses).toEqual([...Array(10).fill(303), 429]);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });

  it('answers 502 when the provider cannot be reached, and tries again on the next sign-in', async () => {
    const dead = await listenTestProvider({});
    const issuer = dead.issuer;
    await dead.close();
    const logged: string[] = [];
    const s = createApp({
      engine, log: (m) => logged.push(m), store: srv.store, accounts: srv.accounts,
      oidc: checkOidcSettings({ issuer: new URL(issuer), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: new URL(`${srv.url}${OIDC_CALLBACK_PATH}`), defaultRole: 'viewer' }),
    });
    const server = createServer(s);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (let i = 0; i < 2; i++) {
        const r = await new Browser(url).call('GET', '/api/auth/oidc/login');
        expect([r.status, r.body.error.code]).toEqual([502, 'sso_unavailable']);
        expect(r.body.error.message).toContain(issuer);
      }
      // The operator reads why in the server log.
      expect(logged).toHaveLength(2);
      expect(logged[0]).toMatch(/^mtbnet: single sign-on: cannot read the provider's configuration at http:\/\/127\.0\.0\.1:\d+\/: /);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});

/** POST a logout token as the provider does (a form, server to server). */
const postLogout = (app: { url: string }, body: Record<string, string>) =>
  fetch(`${app.url}${OIDC_BACKCHANNEL_LOGOUT_PATH}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });

/** A logout token signed with the provider's own key (or `key`), with `claims` over the valid ones. */
async function logoutToken(claims: JWTPayload & Record<string, unknown>, options: { key?: CryptoKey; alg?: string; kid?: string } = {}): Promise<string> {
  const payload: Record<string, unknown> = { events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, jti: randomUUID(), ...claims };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? idp.signingKey.kid, typ: 'logout+jwt' });
  if (!('iss' in claims)) jwt.setIssuer(idp.issuer);
  if (!('aud' in claims)) jwt.setAudience(CLIENT_ID);
  if (!('iat' in claims)) jwt.setIssuedAt();
  jwt.setExpirationTime('2m');
  return jwt.sign(options.key ?? (idp.signingKey.privateKey as CryptoKey));
}

describe('back-channel logout from the provider', () => {
  it("ends the mtbnet session of the provider session that signed out, and only that one", async () => {
    const first = new WebBrowser();
    expect((await signIn(srv, 'fay', first)).res.status).toBe(303);
    const a = await apiClient(srv, first);
    // The same person in another browser: another provider session, another mtbnet session.
    const second = new WebBrowser();
    expect((await signIn(srv, 'fay', second)).res.status).toBe(303);
    const b = await apiClient(srv, second);
    const sids = rows(srv, "SELECT oidc_sid FROM sessions WHERE user_id = 'fay'").map((r) => r.oidc_sid);
    expect(sids).toHaveLength(2);
    expect(new Set(sids).size).toBe(2);
    expect(sids.every((x) => typeof x === 'string' && x.length > 0)).toBe(true);
    expect((await a.b.call('GET', '/api/cases')).status).toBe(200);

    // The person signs out at the provider in the first browser: the provider calls mtbnet's back-channel logout.
    await first.signOutAtProvider(idp.issuer);
    expect((await a.b.call('GET', '/api/cases')).status).toBe(401);
    expect((await b.b.call('GET', '/api/cases')).status).toBe(200);
    expect(lastAudit(srv, 'auth.logout')).toMatchObject({ actor: 'fay', target: 'fay', after: { via: 'oidc-backchannel', issuer: idp.issuer, subject: 'fay', sessions: 1 } });
    expect(srv.accounts.audit.verify().ok).toBe(true);
  });

  it('ends every session of the account for a token that names only the subject', async () => {
    const web = new WebBrowser();
    expect((await signIn(srv, 'gus', web)).res.status).toBe(303);
    const { b } = await apiClient(srv, web);
    const res = await postLogout(srv, { logout_token: await logoutToken({ sub: 'gus' }) });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await b.call('GET', '/api/cases')).status).toBe(401);
    expect(rows(srv, "SELECT COUNT(*) AS n FROM sessions WHERE user_id = 'gus'")[0].n).toBe(0);
  });

  it('refuses a token that fails any check with 400, audits it, and ends nothing', async () => {
    const web = new WebBrowser();
    expect((await signIn(srv, 'gus', web)).res.status).toBe(303);
    const { b } = await apiClient(srv, web);
    const other = await generateKeyPair('RS256');
    const refused = async (body: Record<string, string>, code: string) => {
      const res = await postLogout(srv, body);
      const answer = await res.json();
      expect([res.status, answer.error.code], JSON.stringify(answer)).toEqual([400, code]);
    };
    await refused({}, 'invalid_input');
    await refused({ logout_token: 'not a token' }, 'sso_logout_token');
    await refused({ logout_token: await logoutToken({ sub: 'gus', nonce: 'n-1' }) }, 'sso_logout_token');
    await refused({ logout_token: await logoutToken({ sub: 'gus', events: undefined }) }, 'sso_logout_token');
    await refused({ logout_token: await logoutToken({ sub: 'gus', events: { 'http://example.org/other': {} } }) }, 'sso_logout_token');
    await refused({ logout_token: await logoutToken({ sub: 'gus', events: { [BACKCHANNEL_LOGOUT_EVENT]: null } }) }, 'sso_logout_token');
    await refused({ logout_token: await logoutToken({ sub: undefined }) }, 'sso_logout_token');
    await refused({ logout_token: await logoutToken({ sub: 'gus', aud: 'another-client' }) }, 'sso_logout_token');
    await refused({ logout_token: await logoutToken({ sub: 'gus', iss: 'https://elsewhere.example' }) }, 'sso_logout_token');
    await refused({ logout_token: await logoutToken({ sub: 'gus', iat: Math.floor(Date.now() / 1000) - 3600 }) }, 'sso_logout_token');
    await refused({ logout_token: await logoutToken({ sub: 'gus', jti: undefined }) }, 'sso_logout_token');
    // Signed by a key the provider does not publish, or with the client secret as an HMAC key.
    await refused({ logout_token: await logoutToken({ sub: 'gus' }, { key: other.privateKey, kid: 'test-key' }) }, 'sso_logout_token');
    const hmac = await new SignJWT({ events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, jti: randomUUID(), sub: 'gus' })
      .setProtectedHeader({ alg: 'HS256' }).setIssuer(idp.issuer).setAudience(CLIENT_ID).setIssuedAt().setExpirationTime('2m')
      .sign(new TextEncoder().encode(CLIENT_SECRET));
    await refused({ logout_token: hmac }, 'sso_logout_token');
    // A provider clock a little ahead is allowed (60 s).
    expect((await postLogout(srv, { logout_token: await logoutToken({ sub: 'nobody-here', iat: Math.floor(Date.now() / 1000) + 30 }) })).status).toBe(200);
    await refused({ logout_token: await logoutToken({ sub: 'gus', iat: Math.floor(Date.now() / 1000) + 300 }) }, 'sso_logout_token');
    // Each token is taken once.
    const once = await logoutToken({ sub: 'nobody-here' });
    expect((await postLogout(srv, { logout_token: once })).status).toBe(200);
    await refused({ logout_token: once }, 'sso_logout_replayed');

    expect((await b.call('GET', '/api/cases')).status).toBe(200);
    expect(lastAudit(srv, 'auth.logout-failed')).toMatchObject({ actor: '(sso)', after: { reason: 'sso_logout_replayed', via: 'oidc-backchannel' } });
    // Without single sign-on there is nothing to log out of.
    expect((await postLogout({ url: plain.server.url }, { logout_token: once })).status).toBe(404);
  });
});


/**
 * Where a new sign-in in `web` first stops: the provider's login form (no session there), its consent form, or
 * straight back at mtbnet's callback (the provider's session still open: the next sign-in passes through).
 */
async function nextSignIn(app: SsoServer, web: WebBrowser): Promise<'login form' | 'consent form' | 'back at mtbnet'> {
  let r = await web.request(`${app.url}/api/auth/oidc/login`);
  for (let hop = 0; hop < 10; hop++) {
    const location = r.res.headers.get('location');
    if (r.res.status < 300 || r.res.status >= 400 || !location) break;
    const next = new URL(location, r.url);
    if (next.href.startsWith(`${app.url}${OIDC_CALLBACK_PATH}`)) return 'back at mtbnet';
    r = await web.request(next);
  }
  const prompt = /<input[^>]*type="hidden"[^>]*name="prompt"[^>]*value="([^"]*)"/i.exec(r.text)?.[1];
  if (prompt === 'login') return 'login form';
  if (prompt === 'consent') return 'consent form';
  throw new Error(`an unexpected page at the provider: ${r.res.status} ${r.text.slice(0, 400)}`);
}

/** Sign out `b`, then send its old session cookie again: the session must be over on the server, not just forgotten. */
async function signOut(b: Browser) {
  const session = b.cookie;
  const out = await b.call('POST', '/api/auth/logout');
  b.cookie = session;
  expect((await b.call('GET', '/api/cases')).status).toBe(401);
  return out;
}

describe('signing out of the provider too (MTBNET_OIDC_LOGOUT=provider, RP-initiated logout)', () => {
  it("sends a single sign-on account on to the provider's end-session page, which signs it out there and back to the board", async () => {
    const web = new WebBrowser();
    expect((await signIn(rp, 'hal', web)).res.status).toBe(303);
    // While the provider's session is open, the next sign-in passes straight through: what `local` leaves behind.
    expect(await nextSignIn(rp, web)).toBe('back at mtbnet');
    const { b, me } = await apiClient(rp, web);
    b.csrf = me.csrfToken;
    // Signed out of mtbnet already, before the browser goes on.
    const out = await signOut(b);
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    expect(out.headers.get('cache-control')).toBe('no-store');
    expect(out.headers.get('set-cookie')).toMatch(/^mtbnet_session=; .*Max-Age=0/);
    const end = new URL(out.body.endSession);
    expect(`${end.origin}${end.pathname}`).toBe(`${idp.issuer}/session/end`);
    // The client, and the board to come back to; no ID token (mtbnet keeps none).
    expect(Object.fromEntries(end.searchParams)).toEqual({ client_id: CLIENT_ID, post_logout_redirect_uri: `${rp.url}/` });
    expect(lastAudit(rp, 'auth.logout')).toMatchObject({ actor: 'hal' });

    // The browser goes on; the provider asks, the person confirms, and the provider sends it back to the board.
    expect((await web.endSession(end)).href).toBe(`${rp.url}/`);
    expect(await nextSignIn(rp, web)).toBe('login form');
  });

  it('signs a local account out of mtbnet only (204), and does the same for everyone with the default (local)', async () => {
    const local = new Browser(rp.url);
    expect((await local.login('root', PASSWORD)).status).toBe(200);
    expect((await signOut(local)).status).toBe(204);

    const web = new WebBrowser();
    expect((await signIn(srv, 'ivy', web)).res.status).toBe(303);
    const { b, me } = await apiClient(srv, web);
    b.csrf = me.csrfToken;
    expect((await signOut(b)).status).toBe(204);
    expect(await nextSignIn(srv, web)).toBe('back at mtbnet');
  });

  it('signs out of mtbnet alone (204, logged) when the provider cannot be read, or does not answer within 3 s', async () => {
    // A port nothing listens on, and a server that takes the connection and never answers.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      for (const [issuer, why] of [[closedUrl, /cannot read the provider's configuration/], [silentUrl, /its configuration did not come within 3 s/]] as const) {
        const logs: string[] = [];
        const app = await startSsoServer({ logout: 'provider', issuer: new URL(issuer) }, false, logs);
        try {
          // Signed in through this provider before it went away (the session is what a sign-in leaves).
          const s = await app.accounts.signInWithOidc({ issuer, subject: 'jo-1', username: 'jo', name: null, roles: ['viewer'], claimValues: ['mtb-board'] });
          const b = new Browser(app.url);
          b.cookie = `mtbnet_session=${s.token}`;
          b.csrf = s.csrfToken;
          const t0 = performance.now();
          expect((await signOut(b)).status).toBe(204);
          expect(performance.now() - t0).toBeLessThan(8000);
          expect(logs.join('\n')).toMatch(why);
        } finally {
          await app.close();
        }
      }
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  }, 30_000);

  it('signs out of mtbnet alone (204, logged once) when the provider publishes no end-session endpoint', async () => {
    const other = await listenTestProvider({ hal: { preferred_username: 'hal', groups: ['mtb-board'] } }, { endSession: false });
    const logs: string[] = [];
    const app = await startSsoServer({ logout: 'provider', issuer: new URL(other.issuer) }, false, logs);
    try {
      other.start([`${app.url}${OIDC_CALLBACK_PATH}`]);
      const web = new WebBrowser();
      expect((await web.request(await toCallback(app, web, 'hal', undefined, other.issuer))).res.status).toBe(303);
      const { b, me } = await apiClient(app, web);
      b.csrf = me.csrfToken;
      expect((await signOut(b)).status).toBe(204);
      // Said once, not at every sign-out.
      const c2 = await toCallback(app, web, 'hal', undefined, other.issuer);
      expect((await web.request(c2)).res.status).toBe(303);
      const again = await apiClient(app, web);
      again.b.csrf = again.me.csrfToken;
      expect((await signOut(again.b)).status).toBe(204);
      expect(logs.filter((l) => /publishes no end_session_endpoint \(MTBNET_OIDC_LOGOUT=provider needs one\)/.test(l))).toHaveLength(1);
    } finally {
      await app.close();
      await other.close();
    }
  });
});

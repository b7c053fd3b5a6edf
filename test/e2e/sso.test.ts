/**
 * Single sign-on in headless Chromium, across sites: the OpenID provider
 * (oidc-provider) answers at http://localhost:PORT, mtbnet at
 * http://127.0.0.1:PORT, so the browser treats the provider's redirect back as
 * a cross-site navigation, as it will be in a hospital. The sign-in page
 * offers "Sign in with Hospital SSO"; the provider's login and consent forms
 * lead back to the board signed in (the sign-in's Lax cookie comes back on
 * the cross-site redirect; the Strict session cookie then works on the
 * board's own requests); a ranking (a POST with the CSRF token) works; no CSP
 * violation on mtbnet's pages. Signing out (MTBNET_OIDC_LOGOUT=provider) goes
 * on to the provider's sign-out page and back to the board, and the next
 * sign-in asks for the password again.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/api/app.ts';
import { createEngine } from '../../server/engine.ts';
import { Accounts } from '../../server/security/accounts.ts';
import { checkOidcSettings, OIDC_CALLBACK_PATH, parseRoleMap } from '../../server/security/oidc.ts';
import { SqliteCaseStore } from '../../server/store/sqlite/store.ts';
import { SqliteSecurityStore } from '../../server/store/sqlite/security-store.ts';
import { CLIENT_ID, CLIENT_SECRET, listenTestProvider, type TestProvider } from '../helpers/oidc-provider.ts';
import { PASSWORD } from '../helpers/session.ts';
import { CHROMIUM, HAVE_CHROMIUM, SHOTS, buildClient, launchChromium } from './harness.ts';

let dir: string;
let idp: TestProvider;
let server: Server;
let url: string;
let store: SqliteCaseStore;
let accounts: Accounts;
let browser: BrowserContext;
let page: Page;
const problems: string[] = [];

describe.skipIf(!HAVE_CHROMIUM)(`single sign-on in Chromium (${CHROMIUM})`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mtbnet-e2e-sso-'));
    const clientDir = join(dir, 'client');
    await buildClient(clientDir);
    idp = await listenTestProvider({ alice: { preferred_username: 'alice', name: 'Alice Clinician', groups: ['mtb-clinicians'] } });
    const issuer = idp.issuer.replace('127.0.0.1', 'localhost');
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    store = new SqliteCaseStore({ file: join(dir, 'mtbnet.sqlite') });
    accounts = new Accounts(new SqliteSecurityStore(store.db));
    await accounts.addUser({ username: 'chair', password: PASSWORD, roles: ['admin'] }, 'test');
    const oidc = checkOidcSettings({
      issuer: new URL(issuer), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: new URL(`${url}${OIDC_CALLBACK_PATH}`),
      name: 'Hospital SSO', scopes: ['openid', 'profile', 'groups'], roleMap: parseRoleMap('mtb-clinicians=clinician'), logout: 'provider',
    });
    server.on('request', createApp({ engine: createEngine(), store, accounts, clientDir, log: () => {}, oidc }));
    idp.start([`${url}${OIDC_CALLBACK_PATH}`], issuer);
    browser = await launchChromium(join(dir, 'profile'));
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // mtbnet's pages only (the provider's development pages load a web font from the internet).
    page.on('console', (m) => {
      if (m.type() === 'error' && page.url().startsWith(url) && !/status of 401/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server?.closeAllConnections();
    await store?.close();
    await idp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('signs in through the provider from the sign-in page and ranks on the board', async () => {
    await page.goto(`${url}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const sso = page.getByRole('link', { name: 'Sign in with Hospital SSO' });
    await expect(sso.getAttribute('href')).resolves.toBe('/api/auth/oidc/login');
    await page.screenshot({ path: join(SHOTS, 'sso-01-sign-in.png') });
    await sso.click();

    // The provider's own pages (oidc-provider's development interactions).
    await page.waitForURL(/^http:\/\/localhost:\d+\/interaction\//);
    await page.locator('input[name="login"]').fill('alice');
    await page.locator('input[name="password"]').fill('anything (development interactions)');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();

    // Back at mtbnet, signed in.
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).origin).toBe(url);
    await expect(page.locator('.account').innerText()).resolves.toContain('Alice Clinician (clinician)');
    const cookies = await browser.cookies(url);
    expect(cookies.find((c) => c.name === 'mtbnet_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookies.find((c) => c.name === 'mtbnet_oidc')).toBeUndefined();
    await page.screenshot({ path: join(SHOTS, 'sso-02-signed-in.png') });

    await page.goto(`${url}/#/intake`);
    await page.getByLabel(/^Molecular profile/).fill('EGFR L858R');
    await page.getByLabel('Tumour type (OncoTree)').fill('LUAD');
    await page.getByRole('button', { name: 'Rank therapies' }).click();
    await page.locator('table.ranking tbody tr').first().waitFor();
    await expect(page.locator('table.ranking tbody tr').first().getAttribute('data-therapy')).resolves.toBe('osimertinib');

    expect(problems).toEqual([]);
    const actions = accounts.audit.list().map((e) => [e.actor, e.action]);
    expect(actions).toEqual(expect.arrayContaining([['oidc', 'users.add'], ['alice', 'auth.login']]));
    expect(accounts.getUser('alice')).toMatchObject({ roles: ['clinician'], sso: true });
  });

  it("signs out of the provider too: its sign-out page, back to the board, and the next sign-in asks for the password", async () => {
    await page.goto(`${url}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The provider's own page asks (oidc-provider's development logout form).
    await page.waitForURL(/^http:\/\/localhost:\d+\/session\/end/);
    await page.screenshot({ path: join(SHOTS, 'sso-03-provider-sign-out.png') });
    await page.getByRole('button', { name: /sign me out/i }).click();
    // Back at the board, signed out.
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(page.url()).toBe(`${url}/`);
    expect((await browser.cookies(url)).find((c) => c.name === 'mtbnet_session')).toBeUndefined();
    // The provider's session is over: signing in again shows its login form, not straight back to the board.
    await page.getByRole('link', { name: 'Sign in with Hospital SSO' }).click();
    await page.waitForURL(/^http:\/\/localhost:\d+\/interaction\//);
    await page.locator('input[name="login"]').waitFor();
    expect(problems).toEqual([]);
    expect(accounts.audit.list({ newestFirst: true }).find((e) => e.action === 'auth.logout')).toMatchObject({ actor: 'alice' });
  });
});

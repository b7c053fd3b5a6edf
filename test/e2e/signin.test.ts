/**
 * The doors of the board in headless Chromium, with real local accounts and
 * the production Content-Security-Policy: a fresh install shows the form that
 * creates the admin (nothing else), the board opens after it, signing out
 * leads to the sign-in form, a wrong password is refused, and a signed-in
 * ranking (a POST with the CSRF token) works. Not one CSP violation on the way.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../server/engine.ts';
import { PASSWORD, startSecureServer, type SecureServer } from '../helpers/session.ts';
import { CHROMIUM, HAVE_CHROMIUM, SHOTS, buildClient, launchChromium } from './harness.ts';

let dir: string;
let srv: SecureServer;
let browser: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
const pageErrors: string[] = [];

describe.skipIf(!HAVE_CHROMIUM)(`sign-in and first-run setup in Chromium (${CHROMIUM})`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mtbnet-e2e-signin-'));
    const clientDir = join(dir, 'client');
    await buildClient(clientDir);
    srv = await startSecureServer({ engine: createEngine(), fresh: true, clientDir });
    browser = await launchChromium(join(dir, 'profile'));
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      // 401s before signing in are expected; everything else (CSP violations first of all) is not.
      if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 401/.test(m.text())) consoleErrors.push(m.text());
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await srv?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates the admin on the first visit, then opens the board', async () => {
    const res = await page.goto(`${srv.server.url}/`);
    expect(res!.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await page.getByRole('heading', { name: 'Create the admin account' }).waitFor();
    await page.getByLabel('User name').fill('chair');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Repeat the password').fill(PASSWORD);
    await page.screenshot({ path: join(SHOTS, 'signin-01-first-admin.png') });
    await page.getByRole('button', { name: 'Create the admin account' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await expect(page.locator('.account').innerText()).resolves.toContain('chair (admin)');
    expect(srv.accounts.listUsers().map((u) => [u.id, u.roles])).toEqual([['chair', ['admin']]]);
  });

  it('signs out to the sign-in form, refuses a wrong password, signs in and ranks', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('User name').fill('chair');
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/unknown user name or wrong password/);
    await page.screenshot({ path: join(SHOTS, 'signin-02-refused.png') });
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    await page.goto(`${srv.server.url}/#/intake`);
    await page.getByLabel(/^Molecular profile/).fill('EGFR L858R');
    await page.getByLabel('Tumour type (OncoTree)').fill('LUAD');
    await page.getByRole('button', { name: 'Rank therapies' }).click();
    await page.locator('table.ranking tbody tr').first().waitFor();
    await expect(page.locator('table.ranking tbody tr').first().getAttribute('data-therapy')).resolves.toBe('osimertinib');
    // The evidence network (D3 layout, SVG) draws under the CSP too.
    await page.locator('tr[data-therapy="osimertinib"] .therapy-button').click();
    await page.getByRole('group', { name: /^Evidence network of osimertinib/ }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'signin-03-ranked.png') });
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(srv.accounts.audit.list().map((e) => e.action)).toEqual(expect.arrayContaining(['users.setup', 'auth.login', 'auth.logout', 'auth.login-failed']));
  });
});

/**
 * The e2e harness: build the board client with vite into a temp folder, start
 * the real app (createApp) on a loopback port with a temp SQLite store, and
 * drive Debian's headless Chromium with playwright-core (never a downloaded
 * browser). Screenshots go to test-output/e2e/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { createEngine, type Engine } from '../../server/engine.ts';
import { SqliteCaseStore } from '../../server/store/sqlite/store.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

export const CHROMIUM = process.env.MTBNET_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const SHOTS = resolve('test-output/e2e');

import { CHROMIUM_ARGS } from '../../server/report/pdf.ts';

export { CHROMIUM_ARGS };

/** Build the client into a fresh folder (vite's programmatic build, same config as `npm run build`). */
export async function buildClient(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: resolve('vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true, sourcemap: false } });
}

/** Launch Debian's chromium with a fresh profile directory. */
export async function launchChromium(profileDir: string, viewport = { width: 1440, height: 1000 }): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport });
}

export interface Harness {
  dir: string;
  engine: Engine;
  store: SqliteCaseStore;
  server: RunningServer;
  browser: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  pageErrors: string[];
  api: <T = any>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
  shot: (name: string) => Promise<string>;
  close: () => Promise<void>;
}

export async function startHarness(name: string): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), `mtbnet-e2e-${name}-`));
  const clientDir = join(dir, 'client');
  const engine = createEngine();
  await buildClient(clientDir);
  const store = new SqliteCaseStore({ file: join(dir, 'data', 'mtbnet.sqlite') });
  const server = await startServer({ engine, store, clientDir });
  const browser = await launchChromium(join(dir, 'chromium-profile'));
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
  });
  mkdirSync(SHOTS, { recursive: true });
  return {
    dir,
    engine,
    store,
    server,
    browser,
    page,
    pageErrors,
    api: async (method, path, body) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    shot: async (shotName) => {
      const file = join(SHOTS, `${name}-${shotName}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: async () => {
      await browser.close().catch(() => {});
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

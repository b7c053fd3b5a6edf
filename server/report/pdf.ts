/**
 * PDF reports: Debian's Chromium prints the HTML report (playwright-core's
 * `page.pdf()`). One browser serves many reports (a batch, or a server's
 * requests); pages are reused between reports (opening one costs more than
 * loading a document into it). Chromium runs headless with a fresh profile
 * folder, scripts off, and every request from the page is refused, so a PDF
 * never needs (or reaches) the network. The page footer (case id, page n of m)
 * comes from the report's own CSS (@page margin boxes), so printing the HTML
 * from any browser gives the same pages.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { AppError } from '../domain/errors.ts';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where Chromium is: MTBNET_CHROMIUM, else Debian's /usr/bin/chromium. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.MTBNET_CHROMIUM ?? DEFAULT_CHROMIUM;
}

export class PdfUnavailableError extends AppError {
  constructor(message: string) {
    super('pdf_unavailable', message, 503);
  }
}

export interface PdfRenderer {
  render(html: string): Promise<Buffer>;
  close(): Promise<void>;
}

export interface PdfRendererOptions {
  executablePath?: string;
  /** Milliseconds one report may take (load and print). */
  timeout?: number;
}

/** Launch Chromium once; render reports on fresh pages until closed. */
export async function createPdfRenderer(options: PdfRendererOptions = {}): Promise<PdfRenderer> {
  const executablePath = options.executablePath ?? chromiumPath();
  const timeout = options.timeout ?? 30_000;
  if (!existsSync(executablePath)) {
    throw new PdfUnavailableError(`report: PDF needs Chromium, not found at ${executablePath} (apt-get install chromium, or set MTBNET_CHROMIUM)`);
  }
  const { chromium } = await import('playwright-core');
  const profileDir = mkdtempSync(join(tmpdir(), 'mtbnet-pdf-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      offline: true,
      javaScriptEnabled: false,
    });
  } catch (e) {
    rmSync(profileDir, { recursive: true, force: true });
    throw new PdfUnavailableError(`report: could not start Chromium at ${executablePath}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  // The report is self-contained: any request it would make is refused.
  await context.route('**/*', (route) => route.abort('blockedbyclient'));
  // A persistent context opens with one blank page; it is not needed.
  await Promise.all(context.pages().map((p) => p.close()));
  let closed = false;
  const idle: Page[] = [];
  return {
    async render(html) {
      if (closed) throw new Error('report/pdf: the renderer is closed');
      const page = idle.pop() ?? (await context.newPage());
      let ok = false;
      try {
        page.setDefaultTimeout(timeout);
        await page.setContent(html, { waitUntil: 'load' });
        const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, outline: true });
        ok = true;
        return pdf;
      } finally {
        if (ok && !closed) idle.push(page);
        else await page.close().catch(() => {});
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        rmSync(profileDir, { recursive: true, force: true });
      }
    },
  };
}

export interface SharedPdfRendererOptions extends PdfRendererOptions {
  /** Close Chromium after this many idle milliseconds (it starts again on the next report). */
  idleMs?: number;
  /** Reports printed at once; more wait their turn. */
  concurrency?: number;
}

/**
 * A PDF renderer for a long-running server: Chromium starts on the first PDF,
 * is shared by concurrent requests (at most `concurrency` print at once), and
 * closes when idle, so an idle server holds no browser.
 */
export function createSharedPdfRenderer(options: SharedPdfRendererOptions = {}): PdfRenderer {
  const { idleMs = 60_000, concurrency = 2, ...launch } = options;
  let renderer: Promise<PdfRenderer> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let active = 0;
  const queue: Array<() => void> = [];
  const shutdown = async () => {
    const r = renderer;
    renderer = undefined;
    if (r) await (await r.catch(() => undefined))?.close();
  };
  return {
    async render(html) {
      clearTimeout(timer);
      if (active >= concurrency) await new Promise<void>((go) => queue.push(go));
      active++;
      try {
        renderer ??= createPdfRenderer(launch).catch((e: unknown) => {
          renderer = undefined;
          throw e;
        });
        return await (await renderer).render(html);
      } finally {
        active--;
        queue.shift()?.();
        if (active === 0 && queue.length === 0) {
          timer = setTimeout(() => void shutdown(), idleMs);
          timer.unref();
        }
      }
    },
    async close() {
      clearTimeout(timer);
      await shutdown();
    },
  };
}

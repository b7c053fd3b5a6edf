/**
 * PDF reports: Debian's Chromium prints the HTML report (playwright-core's
 * `page.pdf()`). One browser serves many reports (a batch, or a server's
 * requests); each report gets a fresh page. Chromium runs headless with a
 * fresh profile folder and every request from the page is refused, so a PDF
 * never needs (or reaches) the network.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { AppError } from '../domain/errors.ts';
import { escapeHtml } from './escape.ts';

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

export interface PdfOptions {
  /** Case id printed in the page footer. */
  caseId: string;
}

export interface PdfRenderer {
  render(html: string, options: PdfOptions): Promise<Buffer>;
  close(): Promise<void>;
}

export interface PdfRendererOptions {
  executablePath?: string;
  /** Milliseconds one report may take (load and print). */
  timeout?: number;
}

function footer(caseId: string): string {
  return `<div style="font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; font-size: 7.5pt; color: #444; width: 100%; padding: 0 12mm; display: flex; justify-content: space-between;">` +
    `<span>Case ${escapeHtml(caseId)} · mtbnet report · supports, does not replace, clinical judgement</span>` +
    `<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
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
  return {
    async render(html, { caseId }) {
      if (closed) throw new Error('report/pdf: the renderer is closed');
      const page = await context.newPage();
      try {
        page.setDefaultTimeout(timeout);
        await page.setContent(html, { waitUntil: 'load' });
        await page.emulateMedia({ media: 'print' });
        return await page.pdf({
          format: 'A4',
          printBackground: true,
          preferCSSPageSize: true,
          displayHeaderFooter: true,
          headerTemplate: '<span></span>',
          footerTemplate: footer(caseId),
          margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
          outline: true,
          tagged: true,
        });
      } finally {
        await page.close();
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

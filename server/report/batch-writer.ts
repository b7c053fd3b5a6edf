/**
 * Reports for a batch: one report file per ranked profile in a folder, named
 * after the profile id. PDFs share one Chromium; a few reports render at once
 * (Chromium prints in its own processes while the main thread builds the next
 * model), and `push` waits when that many are in flight, so memory stays flat
 * however long the cohort. A report that fails is counted and named; it never
 * ends the run.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '../domain/profile.ts';
import type { RankResult } from '../domain/result.ts';
import type { Engine } from '../engine.ts';
import { profileReport } from './case-report.ts';
import type { ReportFormat } from './model.ts';
import { createPdfRenderer, type PdfRenderer } from './pdf.ts';
import { EXTENSIONS, renderReport, reportFileName } from './render.ts';
import { writeFile } from 'node:fs/promises';

export interface ReportWriterOptions {
  dir: string;
  format: ReportFormat;
  /** Date of every report of the batch (ISO 8601). */
  date: string;
  engine: Engine;
  /** Reports rendered at once; default for PDF: the cores (at least 2), otherwise 1. */
  concurrency?: number;
  onError?: (id: string, error: Error) => void;
}

export interface ReportWriter {
  push(profile: Profile, result: RankResult): Promise<void>;
  /** Wait for every report; then the counts are final. */
  close(): Promise<void>;
  readonly written: number;
  readonly failed: number;
}

export async function createReportWriter(options: ReportWriterOptions): Promise<ReportWriter> {
  const { dir, format, date, engine, onError } = options;
  const concurrency = Math.max(1, options.concurrency ?? (format === 'pdf' ? Math.max(2, availableParallelism()) : 1));
  mkdirSync(dir, { recursive: true });
  const pdf: PdfRenderer | undefined = format === 'pdf' ? await createPdfRenderer() : undefined;
  const used = new Set<string>();
  const running = new Set<Promise<void>>();
  let written = 0;
  let failed = 0;

  /** A file name per profile id; a repeated id gets -2, -3, ... */
  const nameFor = (id: string) => {
    const base = reportFileName(id, format);
    let name = base;
    for (let k = 2; used.has(name); k++) name = base.replace(new RegExp(`\\.${EXTENSIONS[format].replace('.', '\\.')}$`), `-${k}.${EXTENSIONS[format]}`);
    used.add(name);
    return name;
  };

  const one = async (profile: Profile, result: RankResult, file: string) => {
    try {
      const model = profileReport(engine, profile, { date, result });
      const { body } = await renderReport(model, format, pdf);
      await writeFile(file, body);
      written++;
    } catch (e) {
      failed++;
      onError?.(profile.id, e instanceof Error ? e : new Error(String(e)));
    }
  };

  return {
    async push(profile, result) {
      while (running.size >= concurrency) await Promise.race(running);
      const p = one(profile, result, join(dir, nameFor(profile.id))).finally(() => running.delete(p));
      running.add(p);
    },
    async close() {
      try {
        await Promise.all(running);
      } finally {
        await pdf?.close();
      }
    },
    get written() {
      return written;
    },
    get failed() {
      return failed;
    },
  };
}

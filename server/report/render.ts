/**
 * One entry for every format: render a report model to bytes, with the
 * content type and file extension that go with it. PDF needs a PdfRenderer
 * (one Chromium, reused); the text formats are pure and deterministic.
 */
import { InvalidInputError } from '../domain/errors.ts';
import { renderCsv } from './csv.ts';
import { renderFhir } from './fhir.ts';
import { renderHtml } from './html.ts';
import { REPORT_FORMATS, type ReportFormat, type ReportModel } from './model.ts';
import type { PdfRenderer } from './pdf.ts';

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  fhir: 'application/fhir+json; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

export const EXTENSIONS: Record<ReportFormat, string> = { html: 'html', pdf: 'pdf', fhir: 'fhir.json', csv: 'csv' };

export function isReportFormat(v: unknown): v is ReportFormat {
  return typeof v === 'string' && (REPORT_FORMATS as readonly string[]).includes(v);
}

/** Check a format named by a user; throws a 400 naming the formats there are. */
export function reportFormatOf(v: string | undefined, fallback: ReportFormat = 'html'): ReportFormat {
  if (v === undefined) return fallback;
  const f = v.trim().toLowerCase();
  if (!isReportFormat(f)) {
    throw new InvalidInputError(`report: unsupported format "${v}"; use one of ${REPORT_FORMATS.join(', ')}`, [
      { path: 'format', message: `one of ${REPORT_FORMATS.join(', ')}` },
    ]);
  }
  return f;
}

/** A file name for a case's report: the case id kept to safe characters. */
export function reportFileName(caseId: string, format: ReportFormat): string {
  const safe = caseId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'report';
  return `${safe}.${EXTENSIONS[format]}`;
}

export interface RenderedReport {
  format: ReportFormat;
  contentType: string;
  body: Buffer;
}

export async function renderReport(model: ReportModel, format: ReportFormat, pdf?: PdfRenderer): Promise<RenderedReport> {
  let body: Buffer;
  switch (format) {
    case 'html':
      body = Buffer.from(renderHtml(model), 'utf8');
      break;
    case 'fhir':
      body = Buffer.from(renderFhir(model), 'utf8');
      break;
    case 'csv':
      body = Buffer.from(renderCsv(model), 'utf8');
      break;
    case 'pdf':
      if (!pdf) throw new Error('report: a PDF needs a PdfRenderer');
      body = await pdf.render(renderHtml(model));
      break;
  }
  return { format, contentType: CONTENT_TYPES[format], body };
}

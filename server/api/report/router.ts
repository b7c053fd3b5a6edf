/**
 * GET /api/cases/:id/report?format=html|pdf|fhir|csv: the report of a case
 * (issue 8), rendered from its latest ranking snapshot (or ?snapshot=ID) and
 * the board's record. HTML and PDF open inline, FHIR and CSV download
 * (?download=1 downloads every format). Reports hold clinical data: never
 * cached; the HTML may load nothing (it is self-contained).
 */
import { Router } from 'express';
import type { CaseContext } from '../../cases/index.ts';
import { caseReport } from '../../report/case-report.ts';
import { createSharedPdfRenderer, type PdfRenderer } from '../../report/pdf.ts';
import { renderReport, reportFileName } from '../../report/render.ts';
import { requireRole } from '../auth.ts';
import { parse } from '../cases/schema.ts';
import { ReportParams, ReportQuery } from './schema.ts';

const read = requireRole('viewer', 'clinician', 'curator', 'admin');

/** The HTML report loads nothing: inline styles and SVG only. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

export function reportRouter(ctx: CaseContext, pdf: PdfRenderer = createSharedPdfRenderer()): Router {
  const router = Router();
  router.get('/cases/:id/report', read, async (req, res) => {
    const { id } = parse(ReportParams, req.params, 'params', 'report');
    const q = parse(ReportQuery, req.query, 'query', 'report');
    const model = await caseReport(ctx, id, { snapshotId: q.snapshot });
    const report = await renderReport(model, q.format, pdf);
    const download = q.download === '1' || q.download === 'true' || q.format === 'fhir' || q.format === 'csv';
    const name = reportFileName(model.caseId, q.format);
    res.set({
      'Content-Type': report.contentType,
      'Content-Disposition': `${download ? 'attachment' : 'inline'}; filename="${name}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...(q.format === 'html' ? { 'Content-Security-Policy': REPORT_CSP } : {}),
    });
    res.status(200).send(report.body);
  });
  return router;
}

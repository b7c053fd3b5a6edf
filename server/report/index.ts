/** Case reports (issue 8): one model, four renderers (HTML, PDF, FHIR R4 Genomics Reporting, CSV). */
export { buildReportModel, DEFAULTS, DISCLAIMER, REPORT_FORMATS, ReportError, citation, type ReportFormat, type ReportInput, type ReportModel, type ReportOptions } from './model.ts';
export { networkSvg } from './network-svg.ts';
export { renderHtml } from './html.ts';
export { renderCsv, csvField, CSV_COLUMNS } from './csv.ts';
export { renderFhir, buildFhirBundle, contentUuid, PROFILES } from './fhir.ts';
export { createPdfRenderer, chromiumPath, PdfUnavailableError, type PdfRenderer } from './pdf.ts';
export { renderReport, reportFormatOf, reportFileName, isReportFormat, CONTENT_TYPES, EXTENSIONS, type RenderedReport } from './render.ts';
export { caseReport, profileReport, type CaseReportOptions } from './case-report.ts';

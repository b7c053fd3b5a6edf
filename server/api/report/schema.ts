/** HTTP shapes of the report route (zod at the boundary). */
import { z } from 'zod';
import { CaseId } from '../../domain/case.ts';
import { REPORT_FORMATS } from '../../report/model.ts';

export const ReportParams = z.strictObject({ id: CaseId });
export const ReportQuery = z.strictObject({
  format: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(REPORT_FORMATS, { error: `format is one of ${REPORT_FORMATS.join(', ')}` }))
    .default('html'),
  snapshot: z.string().min(1).max(64).optional().describe('report this ranking snapshot instead of the latest'),
  download: z.enum(['0', '1', 'true', 'false']).optional().describe('1: Content-Disposition attachment for every format'),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

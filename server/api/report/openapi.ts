/** The report path of the OpenAPI document. */
import { REPORT_FORMATS } from '../../report/model.ts';
import { CONTENT_TYPES } from '../../report/render.ts';

export function reportPaths(): Record<string, unknown> {
  const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  return {
    '/api/cases/{id}/report': {
      get: {
        summary: 'The report of a case: profile, ranked therapies with evidence and citations, evidence network, board decision, versions',
        description:
          'Roles: viewer, clinician, curator or admin. Deterministic: the same case, knowledge base and scoring version give byte-identical HTML, FHIR and CSV. ' +
          'HTML and PDF are sent inline, FHIR (an R4 Bundle following the HL7 Genomics Reporting IG) and CSV (RFC 4180) as attachments; ' +
          'Content-Disposition names the file.',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'pseudonymous case id' },
          { name: 'format', in: 'query', schema: { type: 'string', enum: [...REPORT_FORMATS], default: 'html' } },
          { name: 'snapshot', in: 'query', schema: { type: 'string' }, description: 'a ranking snapshot of the case (default: the latest)' },
          { name: 'download', in: 'query', schema: { type: 'string', enum: ['0', '1', 'true', 'false'] }, description: '1: attachment for every format' },
        ],
        responses: {
          '200': {
            description: 'the report',
            headers: { 'Content-Disposition': { schema: { type: 'string' }, description: 'inline or attachment; filename="<case>.<ext>"' } },
            content: {
              [CONTENT_TYPES.html.split(';')[0]!]: { schema: { type: 'string' } },
              [CONTENT_TYPES.pdf]: { schema: { type: 'string', format: 'binary' } },
              [CONTENT_TYPES.fhir.split(';')[0]!]: { schema: { type: 'object', description: 'FHIR R4 Bundle (collection)' } },
              [CONTENT_TYPES.csv.split(';')[0]!]: { schema: { type: 'string' } },
            },
          },
          '400': err('unsupported format or unexpected query parameter'),
          '404': err('no such case or snapshot'),
          '503': err('PDF only: Chromium is not available on the server'),
        },
      },
    },
  };
}

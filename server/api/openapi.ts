/**
 * The OpenAPI 3.1 document served at /api/openapi.json, generated from the
 * same zod schemas that validate requests and describe results.
 */
import { z } from 'zod';
import { ProfileInput } from '../domain/profile.ts';
import { AlterationInput } from '../domain/alteration.ts';
import { RankResult } from '../domain/result.ts';
import { RankTextBody, SampleIds } from './rank/schema.ts';
import { casePaths, caseSchemas } from './cases/openapi.ts';
import { authPaths, authSchemas } from './openapi-auth.ts';
import { oidcPaths } from './auth/oidc-openapi.ts';
import { TumourTypesResponse } from './kb/schema.ts';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string().optional(), line: z.number().optional(), message: z.string() })),
  }),
});

export function openApiDocument(version: string) {
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  const profileBody = {
    required: true,
    content: {
      'application/json': {
        schema: { oneOf: [{ $ref: '#/components/schemas/Profile' }, { $ref: '#/components/schemas/TextRequest' }] },
      },
      'text/plain': { schema: { type: 'string', example: 'EGFR L858R; ERBB2 amplification; EML4::ALK; MSI-H; TMB 14.2' } },
    },
  };
  const query = [
    { name: 'agency', in: 'query', schema: { type: 'string', enum: ['FDA', 'EMA'] }, description: 'agency whose approvals make a therapy on-label' },
    { name: 'tumour', in: 'query', schema: { type: 'string' }, description: 'OncoTree code, overrides the profile' },
    { name: 'format', in: 'query', schema: { type: 'string' }, description: 'force a reader: json, text, vcf, maf, cnv, fusion' },
  ];
  const pseudonyms =
    'Sample names in the input (VCF sample columns, MAF Tumor_Sample_Barcode, sample columns) and the file name become ' +
    'pseudonymous IDs (S- and 12 hex digits, HMAC-SHA256 under the installation key) unless `id` or `sampleMap` names them; ' +
    '`sampleIds` in the answer says which name became which ID (for the uploader; never stored).';
  return {
    openapi: '3.1.0',
    info: {
      title: 'mtbnet API',
      version,
      description:
        'Evidence-network ranking of therapies for molecular tumour boards. Errors are {"error": {code, message, details}}. ' +
        "Every change answers 507 insufficient_storage, changing nothing, while the data folder's disk has less than MTBNET_WRITE_RESERVE_MB free.",
    },
    paths: {
      '/api/health': {
        get: {
          summary: 'Liveness, the loaded knowledge base, and whether the data folder takes writes',
          description:
            'Public. 200 while the server answers. `status` is "degraded" when the data folder cannot be written or keeps less than MTBNET_MIN_FREE_MB (default 100) free; `data.problem` says what to do.',
          responses: { '200': { description: 'ok or degraded', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
      '/api/health/ready': {
        get: {
          summary: 'Readiness: the same answer as /api/health, 503 when degraded (for monitoring by status code)',
          description: 'Public.',
          responses: {
            '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
            '503': { description: 'degraded: the data folder cannot be written or is nearly full (data.problem)', content: { 'application/json': { schema: { type: 'object' } } } },
          },
        },
      },
      '/api/rank': {
        post: {
          summary: 'Rank the therapies for one profile',
          description: `Roles: viewer, clinician, curator or admin. ${pseudonyms}`,
          parameters: query,
          requestBody: profileBody,
          responses: {
            '200': {
              description: 'ranked: the rank result (DESIGN §5), and `sampleIds` beside it when the input named samples',
              content: {
                'application/json': {
                  schema: { allOf: [{ $ref: '#/components/schemas/RankResult' }, { type: 'object', properties: { sampleIds: { $ref: '#/components/schemas/SampleIds' } } }] },
                },
              },
            },
            '400': errorResponse('the profile could not be read, or the sample map is invalid; details name the field or line'),
            '413': errorResponse('the body is larger than the limit'),
          },
        },
      },
      '/api/profiles/parse': {
        post: {
          summary: 'Read a profile and annotate drivers, without ranking',
          description: `Roles: viewer, clinician, curator or admin. ${pseudonyms}`,
          parameters: query,
          requestBody: profileBody,
          responses: {
            '200': {
              description: 'parsed',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { profile: { type: 'object' }, alterations: { type: 'array', items: { type: 'object' } }, warnings: { type: 'array', items: { type: 'object' } }, sampleIds: { $ref: '#/components/schemas/SampleIds' } },
                  },
                },
              },
            },
            '400': errorResponse('the profile could not be read'),
          },
        },
      },
      '/api/tumour-types': {
        get: {
          summary: 'The tumour types (OncoTree codes) of the loaded knowledge base, for pickers',
          description: 'Roles: viewer, clinician, curator or admin.',
          responses: {
            '200': { description: 'the hierarchy, sorted by code', content: { 'application/json': { schema: { $ref: '#/components/schemas/TumourTypes' } } } },
            '400': errorResponse('unexpected query parameters'),
          },
        },
      },
      ...casePaths(),
      ...authPaths(),
      ...oidcPaths(),
    },
    components: {
      schemas: {
        Profile: schema(ProfileInput.extend({ alterations: z.array(AlterationInput) })),
        TextRequest: schema(RankTextBody),
        RankResult: schema(RankResult),
        Error: schema(ErrorBody),
        TumourTypes: z.toJSONSchema(TumourTypesResponse, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>,
        ...caseSchemas(),
        ...authSchemas(),
        SampleIds: schema(SampleIds),
      },
    },
  };
}

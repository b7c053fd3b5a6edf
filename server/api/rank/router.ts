/**
 * POST /api/rank: rank a profile sent as DESIGN §5 JSON, as `{text, format}`
 * JSON, or as a text/plain body in any format the readers understand.
 * POST /api/profiles/parse: what the readers understood, before ranking.
 */
import { Router, type Request } from 'express';
import { InvalidInputError, zodDetails } from '../../domain/errors.ts';
import type { Engine, NamedReadResult, ParseRequest } from '../../engine.ts';
import { checkSampleMap } from '../../security/pseudonyms.ts';
import type { ProfileFormat } from '../../profile/types.ts';
import { requireRole } from '../auth.ts';
import { RankQuery, RankTextBody } from './schema.ts';
import type { Agency } from '../../domain/knowledge.ts';
import { rankResultJson } from '../../domain/result-json.ts';

function parseQuery(req: Request) {
  const q = RankQuery.safeParse(req.query);
  if (!q.success) throw new InvalidInputError('api/rank: invalid query', zodDetails(q.error.issues, 'query'));
  return q.data;
}

/** Turn any accepted body into a reader request. */
type RankRequest = ParseRequest & { agency?: Agency; sample?: string; profile?: unknown; sampleMap?: Map<string, string> };

function toParseRequest(req: Request, query: { tumour?: string; format?: string }): RankRequest {
  const body: unknown = req.body;
  if (typeof body === 'string') {
    if (body.trim() === '') throw new InvalidInputError('api/rank: the body is empty', [{ path: 'body', message: 'send a profile' }]);
    return { text: body, format: query.format as ProfileFormat | undefined, tumourType: query.tumour };
  }
  if (body && typeof body === 'object' && !Array.isArray(body) && 'text' in body) {
    const r = RankTextBody.safeParse(body);
    if (!r.success) throw new InvalidInputError('api/rank: invalid request', zodDetails(r.error.issues, 'body'));
    return {
      text: r.data.text,
      format: (r.data.format ?? query.format) as ProfileFormat | undefined,
      tumourType: r.data.tumourType ?? query.tumour,
      id: r.data.id,
      filename: r.data.filename,
      sample: r.data.sample,
      sampleMap: r.data.sampleMap
        ? checkSampleMap(Object.entries(r.data.sampleMap).map(([name, id]) => ({ name, id, at: { path: `body.sampleMap.${name}` } })), 'api/rank')
        : undefined,
      agency: r.data.agency,
    };
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    return { text: '', profile: body, tumourType: query.tumour };
  }
  throw new InvalidInputError('api/rank: send a JSON profile, {"text": ...}, or a text/plain body', [
    { path: 'body', message: `got ${Array.isArray(body) ? 'an array' : typeof body}` },
  ]);
}

export function rankRouter(engine: Engine): Router {
  const router = Router();
  /**
   * Any reader's format sent inline: JSON, text, VCF, MAF, CNV or fusion tables. Sample and file
   * names become pseudonymous IDs unless mapped; `sampleIds` (which became which) goes back to the
   * uploader beside the result, never into it.
   */
  const read = async (r: RankRequest): Promise<NamedReadResult> =>
    r.profile !== undefined ? { profile: engine.normalise(r.profile, { tumourType: r.tumourType }), warnings: [], sampleIds: [] } : engine.readText(r);
  const named = (sampleIds: NamedReadResult['sampleIds']) => (sampleIds.length > 0 ? { sampleIds } : {});

  router.post('/rank', requireRole('viewer', 'clinician', 'curator', 'admin'), async (req, res) => {
    const query = parseQuery(req);
    const request = toParseRequest(req, query);
    const { profile, warnings, sampleIds } = await read(request);
    const result = engine.rank(profile, { agency: request.agency ?? query.agency });
    // Reader warnings (line-level) come first, then the ranking's own.
    const readerWarnings = warnings.map((w) => (w.line !== undefined ? `line ${w.line}: ${w.message}` : w.message));
    const body = { ...result, warnings: [...readerWarnings, ...result.warnings], ...named(sampleIds) };
    // res.json's text, written with the contributions' text reused (server/domain/result-json.ts); what the
    // write hooks add to every answer (server/api/auth/hooks.ts) is added first, as res.json would.
    const decorate = res.locals.beforeJson as ((b: unknown) => unknown) | undefined;
    const answer = decorate ? decorate(body) : body;
    // Written as text: res.send would copy the 40 KB answer into a Buffer first only to learn its length.
    const text = rankResultJson(answer as typeof body);
    res.type('json').setHeader('Content-Length', Buffer.byteLength(text));
    res.end(text);
  });
  router.post('/profiles/parse', requireRole('viewer', 'clinician', 'curator', 'admin'), async (req, res) => {
    const query = parseQuery(req);
    const { profile, warnings, sampleIds } = await read(toParseRequest(req, query));
    res.json({ profile, alterations: engine.annotate(profile), warnings, ...named(sampleIds) });
  });
  return router;
}

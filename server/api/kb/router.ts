/**
 * GET /api/tumour-types: the knowledge base's tumour-type hierarchy (OncoTree
 * codes, names, parents), so the board client can offer a picker and say which
 * codes the evidence knows. Read-only.
 */
import { Router } from 'express';
import type { Engine } from '../../engine.ts';
import { requireRole } from '../auth.ts';
import { parse } from '../cases/schema.ts';
import { TumourTypesQuery, type TumourType } from './schema.ts';

/** Every tumour type of the loaded knowledge base, sorted by code. */
export function tumourTypesOf(engine: Engine): TumourType[] {
  const out: TumourType[] = [];
  engine.kb.graph.forEachNode((_key, a) => {
    if (a.type === 'tumour') out.push({ code: a.code, name: a.name, parent: a.parent });
  });
  return out.sort((x, y) => x.code.localeCompare(y.code));
}

export function kbRouter(engine: Engine): Router {
  const router = Router();
  let cached: { hash: string; types: TumourType[] } | undefined;
  router.get('/tumour-types', requireRole('viewer', 'clinician', 'curator', 'admin'), (req, res) => {
    parse(TumourTypesQuery, req.query, 'query', 'tumour-types');
    const hash = String(engine.kb.graph.getAttribute('hash'));
    if (!cached || cached.hash !== hash) cached = { hash, types: tumourTypesOf(engine) };
    res.json({ kb: { version: String(engine.kb.graph.getAttribute('version')), hash }, tumourTypes: cached.types });
  });
  return router;
}

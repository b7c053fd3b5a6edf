/** GET /api/tumour-types: the knowledge base's tumour types for the client's picker. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../server/engine.ts';
import { TumourTypesResponse } from '../../server/api/kb/schema.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let srv: RunningServer;
let viewerOnly: RunningServer;
let nobody: RunningServer;
beforeAll(async () => {
  const engine = createEngine();
  srv = await startServer({ engine });
  viewerOnly = await startServer({ engine, auth: () => ({ id: 'v', roles: ['viewer'] }) });
  nobody = await startServer({ engine, auth: () => undefined });
});
afterAll(async () => {
  await Promise.all([srv.close(), viewerOnly.close(), nobody.close()]);
});

describe('GET /api/tumour-types', () => {
  it('lists the OncoTree codes of the knowledge base with names and parents, sorted', async () => {
    const res = await fetch(`${srv.url}/api/tumour-types`);
    expect(res.status).toBe(200);
    const body = TumourTypesResponse.parse(await res.json());
    const codes = body.tumourTypes.map((t) => t.code);
    expect(codes).toContain('LUAD');
    expect(codes).toEqual([...codes].sort((a, b) => a.localeCompare(b)));
    const luad = body.tumourTypes.find((t) => t.code === 'LUAD')!;
    expect(luad.name).toMatch(/adenocarcinoma/i);
    expect(codes).toContain(luad.parent);
    expect(body.tumourTypes.filter((t) => t.parent === null)).toHaveLength(1);
    expect(body.kb.hash).toMatch(/^sha256:/);
  });

  it('is open to a viewer and closed to an anonymous caller', async () => {
    expect((await fetch(`${viewerOnly.url}/api/tumour-types`)).status).toBe(200);
    const res = await fetch(`${nobody.url}/api/tumour-types`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
  });

  it('rejects unknown query parameters with a 400 naming them', async () => {
    const res = await fetch(`${srv.url}/api/tumour-types?foo=1`);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_input');
    expect(JSON.stringify(body.error.details)).toContain('foo');
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await (await fetch(`${srv.url}/api/openapi.json`)).json();
    expect(doc.paths['/api/tumour-types'].get.responses['200']).toBeDefined();
    expect(doc.components.schemas.TumourTypes).toBeDefined();
  });
});

/**
 * The OpenAPI document covers the API: every route the Express router has
 * (found by walking the router stack, like the role matrix in authz.test.ts)
 * is an operation of /api/openapi.json with its path parameters, and every
 * documented operation is a real route. A new route without its entry fails
 * here, naming it.
 */
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/api/app.ts';
import { openApiDocument } from '../../server/api/openapi.ts';
import { createEngine } from '../../server/engine.ts';
import { Accounts } from '../../server/security/accounts.ts';
import { SqliteSecurityStore } from '../../server/store/sqlite/security-store.ts';
import { SqliteCaseStore } from '../../server/store/sqlite/store.ts';
import { listRoutes, openApiPath, type RouteInfo } from '../helpers/routes.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

type Doc = ReturnType<typeof openApiDocument>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Routes of the app that the document lacks, as "METHOD /path". */
function undocumented(doc: Doc, routes: RouteInfo[]): string[] {
  const paths = doc.paths as Record<string, Record<string, unknown>>;
  return routes.filter((r) => !paths[openApiPath(r.path)]?.[r.method.toLowerCase()]).map((r) => r.key);
}

/** Operations of the document that no route answers. */
function stale(doc: Doc, routes: RouteInfo[]): string[] {
  const known = new Set(routes.map((r) => `${r.method} ${openApiPath(r.path)}`));
  return Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`).filter((k) => !known.has(k)),
  );
}

const engine = createEngine();
const store = new SqliteCaseStore({ file: ':memory:' });
const app = createApp({ engine, store, accounts: new Accounts(new SqliteSecurityStore(store.db)), log: () => {} });
const routes = listRoutes(app).filter((r) => r.path.startsWith('/api/'));
const doc = openApiDocument('test');
let srv: RunningServer;

beforeAll(async () => {
  srv = await startServer({ engine, store, accounts: new Accounts(new SqliteSecurityStore(store.db)) });
});
afterAll(async () => {
  await srv?.close();
  await store.close();
});

describe('the OpenAPI document covers every route', () => {
  it('finds the routes of every router (auth, accounts, audit, ranking, cases, reports)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
    expect(routes.map((r) => r.key)).toEqual(expect.arrayContaining(['POST /api/auth/login', 'PATCH /api/users/:id', 'GET /api/audit/verify', 'POST /api/rank', 'GET /api/cases/:id/report']));
  });

  it('documents every route of the router, and nothing else', () => {
    expect(undocumented(doc, routes), 'routes missing from the OpenAPI document (server/api/openapi*.ts, cases/openapi.ts)').toEqual([]);
    expect(stale(doc, routes), 'documented operations that no route answers').toEqual([]);
  });

  it('would name a route that is missing', () => {
    const extra = express();
    const api = express.Router();
    api.get('/not-documented/:id', (_req, res) => void res.end());
    api.post('/rank', (_req, res) => void res.end());
    extra.use('/api', api);
    expect(undocumented(doc, listRoutes(extra))).toEqual(['GET /api/not-documented/:id']);
  });

  it('declares every path parameter, says who may call each operation, and resolves every $ref', () => {
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; responses?: object; summary?: string; description?: string }>>)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort(), `${where}: path parameters`).toEqual([...inPath].sort());
        expect(op.summary, `${where}: summary`).toBeTruthy();
        expect(op.description ?? '', `${where}: who may call it`).toMatch(/Public|Roles:/);
        expect(Object.keys(op.responses ?? {}).length, `${where}: responses`).toBeGreaterThan(0);
      }
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((r) => !(r in schemas)), 'unresolved $ref').toEqual([]);
  });

  it('is what the server serves at /api/openapi.json', async () => {
    const served = await (await fetch(`${srv.url}/api/openapi.json`)).json();
    expect(Object.keys(served.paths).sort()).toEqual(Object.keys(doc.paths).sort());
    expect(served.components.schemas.TextRequest.properties.sampleMap).toBeDefined();
  });
});

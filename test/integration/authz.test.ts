/**
 * The route x role matrix, generated from the router stack: every route of
 * the API is listed by walking the Express routers, must have a rule below
 * (a new route without one fails here), must declare exactly those roles with
 * its guard, and answers accordingly over HTTP: unauthenticated 401 (public
 * routes excepted), a role outside the rule 403, a role inside it neither,
 * and a write from a session without its CSRF token 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/api/app.ts';
import { UNSAFE_METHODS } from '../../server/api/auth.ts';
import { createEngine } from '../../server/engine.ts';
import { ROLES, type Role } from '../../server/security/roles.ts';
import { listRoutes, type RouteInfo } from '../helpers/routes.ts';
import { Browser, startSecureServer, type SecureServer } from '../helpers/session.ts';
import { SqliteCaseStore } from '../../server/store/sqlite/store.ts';
import { Accounts } from '../../server/security/accounts.ts';
import { SqliteSecurityStore } from '../../server/store/sqlite/security-store.ts';

const ANY: Role[] = ['viewer', 'clinician', 'curator', 'admin'];
const CLINICAL: Role[] = ['clinician', 'admin'];
const ADMIN: Role[] = ['admin'];

/** The policy: who may call what. */
const POLICY: Record<string, Role[] | 'public'> = {
  'GET /api/health': 'public',
  'GET /api/health/ready': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/auth/me': 'public',
  'POST /api/auth/setup': 'public',
  'POST /api/auth/login': 'public',
  // Single sign-on: the handshake's two legs (404 sso_off where it is not configured, as here).
  'GET /api/auth/oidc/login': 'public',
  'GET /api/auth/oidc/callback': 'public',
  'POST /api/auth/oidc/backchannel-logout': 'public',
  'POST /api/auth/logout': ANY,
  'POST /api/auth/password': ANY,
  'GET /api/users': ADMIN,
  'POST /api/users': ADMIN,
  'PATCH /api/users/:id': ADMIN,
  'GET /api/audit': ADMIN,
  'GET /api/audit/verify': ADMIN,
  'POST /api/rank': ANY,
  'POST /api/profiles/parse': ANY,
  'GET /api/tumour-types': ANY,
  'POST /api/cases': CLINICAL,
  'GET /api/cases': ANY,
  'GET /api/case-summaries': ANY,
  'GET /api/cases/:id': ANY,
  'POST /api/cases/:id/profiles': CLINICAL,
  'POST /api/cases/:id/rank': CLINICAL,
  'GET /api/cases/:id/snapshots': ANY,
  'GET /api/cases/:id/snapshots/:snapshotId': ANY,
  'POST /api/cases/:id/status': CLINICAL,
  'POST /api/cases/:id/follow-ups': CLINICAL,
  'GET /api/cases/:id/similar': ANY,
  'GET /api/cases/:id/report': ANY,
  'POST /api/meetings': CLINICAL,
  'GET /api/meetings': ANY,
  'GET /api/meetings/:id': ANY,
  'POST /api/meetings/:id/agenda': CLINICAL,
  'POST /api/meetings/:id/decisions': CLINICAL,
  'GET /api/outcomes': ANY,
  'POST /api/reevaluate': ['clinician', 'curator', 'admin'],
};

const engine = createEngine();
let srv: SecureServer;
let routes: RouteInfo[];
const browsers = new Map<Role, Browser>();

beforeAll(async () => {
  srv = await startSecureServer({ engine, rankLimit: 0, loginLimit: 10_000 });
  // The same app as the server runs, for its router stack.
  const store = new SqliteCaseStore({ file: ':memory:' });
  const app = createApp({ engine, store, accounts: new Accounts(new SqliteSecurityStore(store.db)), log: () => {} });
  routes = listRoutes(app).filter((r) => r.path.startsWith('/api/'));
  for (const role of ROLES) browsers.set(role, await srv.as([role]));
}, 60_000);
afterAll(async () => {
  await srv?.close();
});

const concrete = (path: string) => path.replace(/:snapshotId/g, 'SNAP-1').replace(/:id/g, 'MATRIX-1');

describe('route x role matrix', () => {
  it('finds the routes of every router', () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
    expect(routes.map((r) => r.key)).toEqual(expect.arrayContaining(['POST /api/meetings/:id/decisions', 'POST /api/auth/login', 'GET /api/audit']));
  });

  it('has a rule for every route, and every route declares exactly its rule with one guard', () => {
    const missing = routes.filter((r) => !(r.key in POLICY)).map((r) => r.key);
    expect(missing, 'routes without a rule in POLICY (add one)').toEqual([]);
    for (const r of routes) {
      expect(r.guards, `${r.key}: one guard (requireRole or publicRoute)`).toBe(1);
      const rule = POLICY[r.key]!;
      if (rule === 'public') expect(r.declared, r.key).toBe('public');
      else expect([...(r.declared as Role[])].sort(), r.key).toEqual([...rule].sort());
    }
  });

  it('answers 401 to an unauthenticated caller on every non-public route (writes included)', async () => {
    const anon = srv.anonymous();
    for (const r of routes) {
      const res = await anon.call(r.method, concrete(r.path), UNSAFE_METHODS.has(r.method) ? {} : undefined);
      if (POLICY[r.key] === 'public') expect([401, 403], `${r.key} is public`).not.toContain(res.status);
      else expect(res.status, `${r.key} unauthenticated`).toBe(401);
    }
  });

  it('refuses a write from no one signed in before reading its body (a malformed or large body gets 401, not 400 or 413)', async () => {
    for (const [path, body, type] of [
      ['/api/cases', '{"id": "X", "profile": {', 'application/json'],
      ['/api/rank', 'x'.repeat(3_000_000), 'text/plain'],
      ['/api/meetings', '{', 'application/json'],
    ] as const) {
      const res = await fetch(`${srv.server.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
      expect(res.status, path).toBe(401);
      expect((await res.json()).error.code, path).toBe('unauthorized');
    }
  });

  it('answers 403 to every role outside the rule, and lets every role inside it through the guard', async () => {
    let checked = 0;
    for (const r of routes) {
      const rule = POLICY[r.key]!;
      for (const role of ROLES) {
        // Signing out ends the session: give it one of its own.
        const b = r.key === 'POST /api/auth/logout' ? await srv.as([role]) : browsers.get(role)!;
        const res = await b.call(r.method, concrete(r.path), UNSAFE_METHODS.has(r.method) ? {} : undefined);
        checked++;
        if (rule === 'public' || rule.includes(role)) expect([401, 403], `${r.key} as ${role}: ${JSON.stringify(res.body)}`).not.toContain(res.status);
        else {
          expect(res.status, `${r.key} as ${role}`).toBe(403);
          expect(res.body.error.code).toBe('forbidden');
        }
      }
    }
    expect(checked).toBe(routes.length * ROLES.length);
  });

  it('answers 403 to a write from a signed-in session without its CSRF token', async () => {
    const writes = routes.filter((r) => UNSAFE_METHODS.has(r.method) && !['POST /api/auth/login', 'POST /api/auth/setup'].includes(r.key));
    expect(writes.length).toBeGreaterThanOrEqual(12);
    for (const r of writes) {
      const rule = POLICY[r.key]!;
      // A public write (the provider's back-channel logout) from a signed-in browser needs the token too.
      const b = browsers.get(rule === 'public' ? 'viewer' : rule.includes('admin') ? 'admin' : rule[0]!)!;
      const res = await b.call(r.method, concrete(r.path), {}, { csrf: false });
      expect(res.status, `${r.key} without CSRF`).toBe(403);
      expect(res.body.error.code).toBe('csrf');
    }
  });
});

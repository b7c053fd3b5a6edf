/**
 * Every route of an Express app, found by walking its router stack (routes
 * and the routers on the way to them), with the roles its guard declares.
 * Used by the tests that must cover every route: the route x role matrix and the OpenAPI document.
 */
import type { Express } from 'express';
import type { Role } from '../../server/security/roles.ts';

export interface RouteInfo {
  key: string;
  method: string;
  /** Express form: /api/cases/:id */
  path: string;
  /** The roles its guard declares; undefined when it has no guard. */
  declared: readonly Role[] | 'public' | undefined;
  guards: number;
}

interface LayerLike {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean>; stack: Array<{ handle: { roles?: readonly Role[] | 'public' } }> };
  handle: { stack?: LayerLike[]; roles?: readonly Role[] | 'public' };
}

export function listRoutes(app: Express): RouteInfo[] {
  const out: RouteInfo[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = `${prefix}${String(layer.route.path)}`;
        const guards = layer.route.stack.map((l) => l.handle.roles).filter((r) => r !== undefined);
        for (const [m, on] of Object.entries(layer.route.methods)) {
          if (!on || m === '_all') continue;
          const method = m.toUpperCase();
          out.push({ key: `${method} ${path}`, method, path, declared: guards[0], guards: guards.length });
        }
      } else if (Array.isArray(layer.handle.stack)) {
        const p = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, `${prefix}${p}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '');
  return out;
}

/** `/api/cases/:id/snapshots/:snapshotId` -> `/api/cases/{id}/snapshots/{snapshotId}` (OpenAPI's form). */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

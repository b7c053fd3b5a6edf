/**
 * The authentication seam. Every route runs behind `authenticate`, which asks
 * the configured strategy who is calling, and declares the roles it needs with
 * `requireRole` (or `publicRoute`); the route x role matrix test reads those
 * declarations from the router stack.
 *
 * Strategies: `sessionAuth` (local accounts, server/security; the default of
 * `mtbnet serve`), `localSingleUser` (everyone is a local admin: tests and
 * explicit development mode only), `nobody`.
 *
 * Cross-site request forgery: a state-changing request signed in by a session
 * cookie must carry the session's CSRF token in `X-CSRF-Token` (synchroniser
 * token); and any state-changing request whose Origin is another site is
 * refused, whatever the strategy.
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../domain/errors.ts';
import type { Accounts } from '../security/accounts.ts';
import { readCookie, SESSION_COOKIE } from '../security/cookies.ts';
import { ROLES, type Role } from '../security/roles.ts';

export { ROLES, type Role } from '../security/roles.ts';

export interface Principal {
  id: string;
  roles: Role[];
  name?: string | null;
  /** How the caller was recognised; 'session' callers must send the CSRF token on writes. */
  via?: 'session' | 'local' | 'test';
  csrfToken?: string;
  /** SHA-256 of the session token (to sign out). */
  sessionHash?: string;
}

/** Decides who is calling; undefined means not authenticated. */
export type AuthStrategy = (req: Request) => Principal | undefined | Promise<Principal | undefined>;

/** Everyone is the local user with every role: for tests and explicit single-user development mode only. */
export const localSingleUser: AuthStrategy = () => ({ id: 'local', roles: [...ROLES], via: 'local' });

/** Nobody is signed in (an app without accounts). */
export const nobody: AuthStrategy = () => undefined;

/** Local accounts: the session cookie names a server-side session. */
export function sessionAuth(accounts: Accounts): AuthStrategy {
  return (req) => {
    const s = accounts.resolve(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (!s) return undefined;
    return { id: s.user.id, roles: s.user.roles, name: s.user.name, via: 'session', csrfToken: s.csrfToken, sessionHash: s.tokenHash };
  };
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'api/auth: sign in first') {
    super('unauthorized', message, 401);
  }
}
export class ForbiddenError extends AppError {
  constructor(message: string, code = 'forbidden') {
    super(code, message, 403);
  }
}

export const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CSRF_HEADER = 'x-csrf-token';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Is the request from a page of another site? Its Origin names another host than the request was sent to: the Host
 * header, or behind a proxy the app trusts (MTBNET_TRUST_PROXY) the X-Forwarded-Host it sets (`req.host`), for a
 * proxy that passes the board's public name that way and its own upstream name as Host.
 */
function crossSite(req: Request): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return origin === 'null';
  try {
    const from = new URL(origin).host;
    return from !== req.headers.host && from !== req.host;
  } catch {
    return true;
  }
}

export interface AuthenticateOptions {
  /** Paths (relative to the router) where a session needs no CSRF token: sign-in and first-run setup. */
  csrfExempt?: readonly string[];
}

export function authenticate(strategy: AuthStrategy, options: AuthenticateOptions = {}) {
  const exempt = new Set(options.csrfExempt ?? []);
  return async (req: Request, _res: Response, next: NextFunction) => {
    const unsafe = UNSAFE_METHODS.has(req.method);
    if (unsafe && crossSite(req)) return next(new ForbiddenError('api/auth: a request from another site cannot change anything here', 'cross_site'));
    req.principal = (await strategy(req)) ?? undefined;
    const p = req.principal;
    if (unsafe && p?.via === 'session' && !exempt.has(req.path)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !p.csrfToken || !sameToken(sent, p.csrfToken)) {
        return next(new ForbiddenError(`api/auth: send the session's CSRF token in the ${CSRF_HEADER} header`, 'csrf'));
      }
    }
    next();
  };
}

/** A route guard that the role matrix can read: the roles it lets in, or 'public'. */
export type Guard = RequestHandler & { roles: readonly Role[] | 'public' };

/** Route guard: the caller must be signed in and hold one of the roles. */
export function requireRole(...roles: Role[]): Guard {
  const guard = ((req: Request, _res: Response, next: NextFunction) => {
    const p = req.principal;
    if (!p) return next(new UnauthorizedError());
    if (roles.length > 0 && !roles.some((r) => p.roles.includes(r))) {
      return next(new ForbiddenError(`api/auth: this needs one of the roles ${roles.join(', ')}`));
    }
    next();
  }) as Guard;
  guard.roles = roles.length ? roles : [...ROLES];
  return guard;
}

/** Marks a route that anyone may call (health, the OpenAPI document, sign-in). */
export const publicRoute: Guard = Object.assign(((_req: Request, _res: Response, next: NextFunction) => next()) as RequestHandler, {
  roles: 'public' as const,
});

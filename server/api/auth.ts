/**
 * The authentication seam. Every route runs behind `authenticate`, which asks
 * the configured strategy who is calling, and declares the roles it needs with
 * `requireRole`. Until accounts exist (issue: security), the default strategy
 * is single-user local mode: every caller is the local user with every role.
 */
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../domain/errors.ts';

export const ROLES = ['admin', 'curator', 'clinician', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  id: string;
  roles: Role[];
}

/** Decides who is calling; undefined means not authenticated. */
export type AuthStrategy = (req: Request) => Principal | undefined | Promise<Principal | undefined>;

export const localSingleUser: AuthStrategy = () => ({ id: 'local', roles: [...ROLES] });

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
  constructor(message: string) {
    super('forbidden', message, 403);
  }
}

export function authenticate(strategy: AuthStrategy) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    req.principal = (await strategy(req)) ?? undefined;
    next();
  };
}

/** Route guard: the caller must be signed in and hold one of the roles. */
export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const p = req.principal;
    if (!p) return next(new UnauthorizedError());
    if (roles.length > 0 && !roles.some((r) => p.roles.includes(r))) {
      return next(new ForbiddenError(`api/auth: this needs one of the roles ${roles.join(', ')}`));
    }
    next();
  };
}

/** Rate-limit answers in the API's error shape, and the limiter for ranking. */
import type { NextFunction, Request, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';

export function rateLimited(message: string) {
  return (_req: Request, res: Response, _next: NextFunction, options: { statusCode: number }) => {
    res.status(options.statusCode).json({ error: { code: 'rate_limited', message, details: [] } });
  };
}

/** Ranking is the expensive call: per signed-in user (or address), `perMinute` a minute. */
export function rankLimiter(perMinute: number) {
  const ranking = /^\/(?:rank|profiles\/parse|reevaluate|cases\/[^/]+\/rank)\/?$/;
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => req.method !== 'POST' || !ranking.test(req.path),
    keyGenerator: (req) => (req.principal ? `user:${req.principal.id}` : `ip:${ipKeyGenerator(req.ip ?? '')}`),
    handler: rateLimited(`api: more than ${perMinute} rankings a minute; wait a moment`),
  });
}

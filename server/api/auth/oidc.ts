/**
 * Single sign-on over HTTP (public routes: they are the sign-in handshake).
 *
 * `GET /api/auth/oidc/login` sends the browser to the provider with a fresh
 * state, nonce and PKCE challenge; what the callback must see again is kept
 * server-side (table `oidc_pending`, 10 minutes, once), under the SHA-256 of a
 * random handle that only this browser's `mtbnet_oidc` cookie holds, so a
 * callback from another browser (login CSRF) finds nothing.
 *
 * `GET /api/auth/oidc/callback` takes that sign-in, has openid-client check
 * the answer and redeem the code, signs the person in like a local sign-in
 * (the same server-side session and CSRF token; audit row `auth.login`), and
 * sends the browser to the board. Anything wrong is a 4xx (a 502 when the
 * provider cannot be reached) and changes nothing but the audit log: a
 * browser gets a short page with a way back, a script the API's JSON error.
 *
 * `POST /api/auth/oidc/backchannel-logout` is the provider's back-channel
 * logout (OpenID Connect Back-Channel Logout 1.0): a form body with one
 * `logout_token`, checked (signature by the provider's keys, issuer, this
 * client as audience, age, the logout event, no nonce, not seen before),
 * then the sessions that provider session started end (or, for a token
 * naming only the subject, every session of the linked account): 200 with
 * no body, or 400 naming what failed. Register it at the provider as the
 * client's back-channel logout URI (docs/security.md).
 *
 * Without single sign-on configured all three answer 404 `sso_off`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import type { Accounts } from '../../security/accounts.ts';
import { readCookie, sessionCookie } from '../../security/cookies.ts';
import { OidcRejectedError, type OidcClient } from '../../security/oidc.ts';
import { SignInRefusedError } from '../../security/accounts.ts';
import { publicRoute } from '../auth.ts';
import { parse } from '../cases/schema.ts';
import { EmptyQuery } from './schema.ts';

export const OIDC_COOKIE = 'mtbnet_oidc';
const OIDC_COOKIE_PATH = '/api/auth/oidc';
/** How long a sign-in may take at the provider. */
export const OIDC_PENDING_MS = 10 * 60_000;
/** Sign-ins in progress at once, at most (each is a row until used or expired). */
export const OIDC_PENDING_LIMIT = 10_000;

/**
 * The authorization response: `code` and `state`, or `error`; providers add
 * their own parameters (`iss`, `session_state`), which pass. One value each.
 */
const CallbackQuery = z
  .object({
    code: z.string().min(1).max(4096).optional(),
    state: z.string().min(1).max(1024).optional(),
    error: z.string().max(256).optional(),
    error_description: z.string().max(4096).optional(),
  })
  .catchall(z.string().max(4096));

/** The back-channel logout request: a form with the logout token (other parameters pass, unused). */
const LogoutBody = z.object({ logout_token: z.string({ error: 'logout_token is required' }).min(1).max(16_384) });

export const OIDC_BACKCHANNEL_LOGOUT_PATH = '/api/auth/oidc/backchannel-logout';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The cookie that ties a sign-in in progress to this browser: Lax, so it comes back on the provider's redirect. */
function pendingCookie(value: string, secure: boolean, maxAgeSeconds: number): string {
  const parts = [`${OIDC_COOKIE}=${encodeURIComponent(value)}`, `Path=${OIDC_COOKIE_PATH}`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export class SsoOffError extends AppError {
  constructor() {
    super('sso_off', 'api/auth: single sign-on is not configured here (MTBNET_OIDC_ISSUER; docs/security.md); sign in with a local account', 404);
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A refused sign-in as a browser sees it: what went wrong and the way back (no script: the API's CSP allows none). */
function errorPage(e: AppError, provider: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in failed · mtbnet</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}code{font-size:.9em}</style></head>
<body><p>mtbnet</p><h1>Sign-in with ${escapeHtml(provider)} failed</h1><p>${escapeHtml(e.message.replace(/^[a-z/]+: /, ''))}</p>
<p><code>${escapeHtml(e.code)}</code> (HTTP ${e.status})</p><p><a href="/">Back to the sign-in page</a></p></body></html>`;
}

export interface OidcRouterOptions {
  secure: (req: Request) => boolean;
  /** Counts failed callbacks per address, like failed password sign-ins. */
  limiter: RequestHandler;
  /** Counts sign-in starts per address (each keeps a row until used or expired). */
  startLimiter: RequestHandler;
  /** Counts refused back-channel logout calls per address (a budget apart from sign-ins). */
  logoutLimiter: RequestHandler;
  clock?: () => number;
}

export function oidcRouter(accounts: Accounts, oidc: OidcClient | undefined, options: OidcRouterOptions): Router {
  const router = Router();
  const { secure, limiter, startLimiter, logoutLimiter, clock = Date.now } = options;

  /** A browser gets a page with the reason and the way back; a script the API's JSON error (the central handler). */
  const refuse = (req: Request, res: Response, next: NextFunction, e: unknown) => {
    if (!(e instanceof AppError) || req.accepts(['json', 'html']) !== 'html') return next(e);
    res.status(e.status).type('html').send(errorPage(e, oidc?.name ?? 'single sign-on'));
  };

  router.get('/auth/oidc/login', publicRoute, startLimiter, async (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    try {
      parse(EmptyQuery, req.query, 'query', 'auth');
      if (!oidc) throw new SsoOffError();
      if (accounts.setupRequired()) {
        throw new OidcRejectedError('setup_required', 'create the admin account first (first-run setup); single sign-on opens after it', 409);
      }
      const start = await oidc.begin();
      const handle = randomBytes(32).toString('base64url');
      const now = clock();
      const kept = accounts.store.insertOidcPending(
        sha256(handle), { state: start.state, nonce: start.nonce, codeVerifier: start.codeVerifier, expiresAt: now + OIDC_PENDING_MS }, now, OIDC_PENDING_LIMIT,
      );
      if (!kept) throw new AppError('busy', 'api/auth: too many sign-ins in progress; try again in a few minutes', 503);
      res.setHeader('Set-Cookie', pendingCookie(handle, secure(req), OIDC_PENDING_MS / 1000));
      res.redirect(303, start.url.href);
    } catch (e) {
      refuse(req, res, next, e);
    }
  });

  router.get('/auth/oidc/callback', publicRoute, limiter, async (req: Request, res: Response, next: NextFunction) => {
    const handle = readCookie(req.headers.cookie, OIDC_COOKIE);
    // The handle is good for one try, whatever happens.
    if (handle !== undefined) res.setHeader('Set-Cookie', pendingCookie('', secure(req), 0));
    res.setHeader('Cache-Control', 'no-store');
    try {
      if (!oidc) throw new SsoOffError();
      const query = parse(CallbackQuery, req.query, 'query', 'auth');
      const pending = handle && handle.length <= 128 ? accounts.store.takeOidcPending(sha256(handle), clock()) : undefined;
      if (!pending) {
        throw new OidcRejectedError('sso_no_sign_in', 'no sign-in is in progress in this browser, or it took longer than 10 minutes; start again from the sign-in page');
      }
      if (query.error === undefined && (query.state === undefined || !sameText(query.state, pending.state))) {
        throw new OidcRejectedError('sso_state', 'the answer does not belong to the sign-in this browser started (state); start again from the sign-in page');
      }
      const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      const who = await oidc.finish(search, pending);
      const s = await accounts.signInWithOidc(who, { ip: req.ip });
      res.append('Set-Cookie', sessionCookie(s.token, { secure: secure(req), maxAgeSeconds: (s.expiresAt - clock()) / 1000 }));
      res.redirect(303, '/');
    } catch (e) {
      // Refusals by the accounts (disabled, no role) are audited there; a failed handshake here.
      if (e instanceof OidcRejectedError) {
        accounts.audit.append({ actor: '(sso)', action: 'auth.login-failed', target: null, after: { reason: e.code, message: e.message, via: 'oidc', ip: req.ip } });
      }
      refuse(req, res, next, e);
    }
  });

  router.post(
    '/auth/oidc/backchannel-logout',
    publicRoute,
    logoutLimiter,
    express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 10 }),
    async (req: Request, res: Response, next: NextFunction) => {
      res.setHeader('Cache-Control', 'no-store');
      try {
        if (!oidc) throw new SsoOffError();
        const body = parse(LogoutBody, req.body ?? {}, 'body', 'auth');
        const request = await oidc.verifyLogoutToken(body.logout_token);
        accounts.backchannelLogout(request, { ip: req.ip });
        res.status(200).end();
      } catch (e) {
        // A refused token is audited (a misconfigured or hostile sender shows there); nothing else changes.
        if (e instanceof OidcRejectedError || e instanceof SignInRefusedError) {
          accounts.audit.append({ actor: '(sso)', action: 'auth.logout-failed', target: null, after: { reason: e.code, message: e.message, via: 'oidc-backchannel', ip: req.ip } });
        }
        next(e);
      }
    },
  );

  return router;
}

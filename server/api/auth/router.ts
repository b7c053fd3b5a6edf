/**
 * Sign-in, sign-out and first-run setup (public), the caller's own account,
 * account management and the audit log (admins). On a fresh install no
 * account exists and `GET /api/auth/me` says `setupRequired`: the client then
 * shows the form that creates the first admin, and nothing else works until it
 * exists. There is no default password. Single sign-on (OpenID Connect), when
 * configured, is in ./oidc.ts and opens only once that admin exists.
 */
import { Router, type Request, type Response } from 'express';
import { ConflictError } from '../../domain/errors.ts';
import { rateLimit } from 'express-rate-limit';
import type { Accounts, SignedIn } from '../../security/accounts.ts';
import type { OidcClient } from '../../security/oidc.ts';
import { clearSessionCookie, sessionCookie } from '../../security/cookies.ts';
import { publicRoute, requireRole, UnauthorizedError } from '../auth.ts';
import { parse } from '../cases/schema.ts';
import {
  AuditQuery, EmptyQuery, LoginInput, NewUserInput, PasswordChangeInput, SetupInput, UserChangeInput, UserParams,
} from './schema.ts';
import { rateLimited } from './limits.ts';
import { oidcRouter } from './oidc.ts';

export interface AuthRouterOptions {
  /** Secure cookies: true, false, or 'auto' (when the request came over https; set trust proxy behind a proxy). */
  cookieSecure?: boolean | 'auto';
  /** Failed sign-ins (and setup attempts) per client address per 15 minutes. */
  loginLimit?: number;
  /** Whether the app's strategy is local accounts (false: an explicit test or single-user strategy). */
  accountsMode?: boolean;
  /** Single sign-on through this OpenID provider (accounts mode only). */
  oidc?: OidcClient;
}

const signedInUser = (s: SignedIn) => ({ id: s.user.id, name: s.user.name, roles: s.user.roles });

/** The public routes, mounted before the body parsers of the rest of the API (small bodies only). */
export function authRouter(accounts: Accounts | undefined, options: AuthRouterOptions = {}): Router {
  const router = Router();
  const { cookieSecure = 'auto', loginLimit = 10, accountsMode = true } = options;
  const oidc = accountsMode && accounts ? options.oidc : undefined;
  const secure = (req: Request) => (cookieSecure === 'auto' ? req.secure : cookieSecure);
  const loginLimiter = rateLimit({
    windowMs: 15 * 60_000, limit: loginLimit, skipSuccessfulRequests: true, standardHeaders: 'draft-8', legacyHeaders: false,
    handler: rateLimited('api/auth: too many sign-in attempts from this address; wait 15 minutes'),
  });
  const begin = (req: Request, res: Response, s: SignedIn) => {
    res.setHeader('Set-Cookie', sessionCookie(s.token, { secure: secure(req), maxAgeSeconds: (s.expiresAt - Date.now()) / 1000 }));
    res.setHeader('Cache-Control', 'no-store');
  };

  router.get('/auth/me', publicRoute, (req, res) => {
    parse(EmptyQuery, req.query, 'query', 'auth');
    const p = req.principal;
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      user: p ? { id: p.id, name: p.name ?? null, roles: p.roles } : null,
      csrfToken: p?.csrfToken ?? null,
      setupRequired: accountsMode && !!accounts && accounts.setupRequired(),
      mode: accountsMode && accounts ? 'accounts' : 'local',
      // The sign-in page offers "Sign in with <name>" when single sign-on is configured.
      sso: oidc ? { name: oidc.name, loginUrl: '/api/auth/oidc/login' } : null,
    });
  });

  if (!accounts) return router;

  router.post('/auth/setup', publicRoute, loginLimiter, async (req, res) => {
    const input = parse(SetupInput, req.body, 'body', 'auth');
    await accounts.addUser({ ...input, roles: ['admin'] }, input.username.trim().toLowerCase(), { firstAdmin: true });
    const s = await accounts.login(input.username, input.password, { ip: req.ip });
    begin(req, res, s);
    res.status(201).json({ user: signedInUser(s), csrfToken: s.csrfToken });
  });

  // Each single sign-on start keeps a row for 10 minutes: 10 x the sign-in limit per address per 15 minutes.
  const ssoStartLimiter = rateLimit({
    windowMs: 15 * 60_000, limit: loginLimit * 10, standardHeaders: 'draft-8', legacyHeaders: false,
    handler: rateLimited('api/auth: too many single sign-on attempts from this address; wait 15 minutes'),
  });
  // The provider's back-channel logout has its own budget of refused calls, so failed sign-ins from a shared
  // address (a proxy, the provider's host) cannot block logouts.
  const logoutLimiter = rateLimit({
    windowMs: 15 * 60_000, limit: loginLimit * 10, skipSuccessfulRequests: true, standardHeaders: 'draft-8', legacyHeaders: false,
    handler: rateLimited('api/auth: too many refused logout tokens from this address; wait 15 minutes'),
  });
  router.use(oidcRouter(accounts, oidc, { secure, limiter: loginLimiter, startLimiter: ssoStartLimiter, logoutLimiter }));

  router.post('/auth/login', publicRoute, loginLimiter, async (req, res) => {
    const input = parse(LoginInput, req.body, 'body', 'auth');
    const s = await accounts.login(input.username, input.password, { ip: req.ip });
    begin(req, res, s);
    res.json({ user: signedInUser(s), csrfToken: s.csrfToken });
  });

  const anyone = requireRole('viewer', 'clinician', 'curator', 'admin');
  const admin = requireRole('admin');

  router.post('/auth/logout', anyone, async (req, res) => {
    const p = req.principal!;
    if (p.sessionHash) accounts.logout(p.sessionHash, p.id);
    res.setHeader('Set-Cookie', clearSessionCookie(secure(req)));
    // Signed out here first, whatever the provider says: with MTBNET_OIDC_LOGOUT=provider, a single sign-on account
    // is then sent on to the provider's end-session page (the client navigates there); if the provider cannot be
    // read in time or has no such page (logged), the sign-out is mtbnet's alone, as with `local`.
    const endSession = oidc?.settings.logout === 'provider' && accounts.getUser(p.id)?.sso ? await oidc.endSessionUrl() : undefined;
    if (endSession === undefined) {
      res.status(204).end();
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json({ endSession: endSession.href });
  });

  router.post('/auth/password', anyone, loginLimiter, async (req, res) => {
    const p = req.principal!;
    const input = parse(PasswordChangeInput, req.body, 'body', 'auth');
    if (accounts.getUser(p.id)?.sso) throw new ConflictError('api/auth: this account signs in through single sign-on; change the password at the identity provider');
    if (!accounts.getUser(p.id) || !(await accounts.checkPassword(p.id, input.currentPassword))) {
      throw new UnauthorizedError('api/auth: the current password is wrong');
    }
    await accounts.setPassword(p.id, input.newPassword, p.id);
    res.setHeader('Set-Cookie', clearSessionCookie(secure(req)));
    res.status(204).end();
  });

  router.get('/users', admin, (req, res) => {
    parse(EmptyQuery, req.query, 'query', 'users');
    res.json({ users: accounts.listUsers() });
  });

  router.post('/users', admin, async (req, res) => {
    const input = parse(NewUserInput, req.body, 'body', 'users');
    res.status(201).json({ user: await accounts.addUser(input, req.principal!.id) });
  });

  router.patch('/users/:id', admin, async (req, res) => {
    const { id } = parse(UserParams, req.params, 'params', 'users');
    const change = parse(UserChangeInput, req.body, 'body', 'users');
    const actor = req.principal!.id;
    if (change.password !== undefined) await accounts.setPassword(id, change.password, actor);
    if (change.roles !== undefined) accounts.setRoles(id, change.roles, actor);
    const user = change.disabled !== undefined ? accounts.setDisabled(id, change.disabled, actor) : accounts.getUser(id.toLowerCase());
    res.json({ user });
  });

  router.get('/audit', admin, (req, res) => {
    const q = parse(AuditQuery, req.query, 'query', 'audit');
    res.json({ entries: accounts.audit.list({ afterSeq: q.after, limit: q.limit ?? 200 }) });
  });

  router.get('/audit/verify', admin, (req, res) => {
    parse(EmptyQuery, req.query, 'query', 'audit');
    res.json(accounts.audit.verify());
  });

  return router;
}

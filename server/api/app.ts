/**
 * The Express application, built and returned without listening, so tests
 * start the real app on an ephemeral port. Feature routers are mounted under
 * /api behind the authentication seam; the built client is served at /.
 *
 * Hardening (docs/security.md): helmet with a strict Content-Security-Policy
 * (the client's scripts, styles and connections from 'self' only; API answers
 * may run no script at all), body size limits, rate limits on sign-in and
 * ranking, a response deadline, CSRF and cross-site checks on every write,
 * an audit row for every acknowledged change, no stack traces to clients.
 */
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { accessSync, constants as fsConstants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../engine.ts';
import type { Accounts } from '../security/accounts.ts';
import { OidcClient, type OidcSettings } from '../security/oidc.ts';
import { redactForLog } from '../security/privacy.ts';
import { authenticate, nobody, publicRoute, sessionAuth, UNSAFE_METHODS, UnauthorizedError, type AuthStrategy } from './auth.ts';
import { authRouter } from './auth/router.ts';
import { caseReads, freeMb, writeHooks, writeReserve } from './auth/hooks.ts';
import { rankLimiter } from './auth/limits.ts';
import { errorHandler, notFound } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { rankRouter } from './rank/router.ts';
import { casesRouter } from './cases/router.ts';
import { kbRouter } from './kb/router.ts';
import { caseContext } from '../cases/context.ts';
import type { CaseStore } from '../store/types.ts';

export const DEFAULT_CLIENT_DIR = fileURLToPath(new URL('../../dist/client', import.meta.url));

export interface AppOptions {
  engine: Engine;
  /** The case store; the case, meeting and outcome routes are mounted only when one is given. */
  store?: CaseStore;
  /**
   * Local accounts (server/security): sign-in, sessions, first-run setup, the
   * audit log. When given and `auth` is not, callers are recognised by their
   * session cookie.
   */
  accounts?: Accounts;
  /**
   * Who is calling, explicitly: `localSingleUser` for tests and single-user
   * development mode. Without it (and without accounts) nobody is signed in.
   */
  auth?: AuthStrategy;
  /**
   * Single sign-on through an OpenID provider (with accounts, and no explicit
   * `auth`): `GET /api/auth/oidc/login` and `/callback` (docs/security.md).
   */
  oidc?: OidcSettings;
  /**
   * Answer only requests addressed to this machine by a loopback name (localhost, 127.0.0.1, [::1]): 421 otherwise.
   * `mtbnet serve` sets it with MTBNET_AUTH=local, where everyone is an admin without signing in: a web page whose
   * name a DNS rebinding points at 127.0.0.1 would otherwise read and change the cases as the local user.
   */
  loopbackHostsOnly?: boolean;
  /** Folder of the built client (vite build); not served when absent. */
  clientDir?: string;
  /** Body size limit for profiles sent inline (the upload limit). */
  bodyLimit?: string;
  /** Secure cookies: true, false, or 'auto' (default: when the request came over https). */
  cookieSecure?: boolean | 'auto';
  /** Express 'trust proxy' (behind a TLS-terminating proxy: 1, or its address). */
  trustProxy?: boolean | number | string;
  /** Failed sign-ins per address per 15 minutes (default 10). */
  loginLimit?: number;
  /** Rankings per user per minute (default 600); 0 switches the limit off. */
  rankLimit?: number;
  /** A request not answered after this long gets 503 (default 30 s). */
  timeoutMs?: number;
  /**
   * The data folder (SQLite cases, accounts and audit log, backups): /api/health answers 503 when it cannot be
   * written or has less than `minFreeMb` free, so that monitoring sees it before a write fails.
   */
  dataDir?: string;
  /** Free space the data folder must keep, in MB (default 100; 0 checks writability only). */
  minFreeMb?: number;
  /**
   * Changes (cases, decisions, meetings, accounts) are refused with 507 while the data folder's disk has less than
   * this many MB free (default 16; 0 never refuses): what is left keeps a change and its audit row writable together.
   */
  writeReserveMb?: number;
  log?: (message: string) => void;
}

/**
 * Can the data folder take writes: is it writable (SQLite writes its journal beside the file), and has it at least
 * `minFreeMb` free? A full disk is the usual way a hospital server stops saving decisions.
 */
export function dataFolderHealth(dir: string, minFreeMb: number): { writable: boolean; lowDisk: boolean; problem?: string } {
  let writable = true;
  try {
    accessSync(dir, fsConstants.W_OK);
  } catch {
    writable = false;
  }
  let lowDisk = false;
  if (minFreeMb > 0) {
    const free = freeMb(dir);
    if (free === undefined) writable = false;
    else lowDisk = free < minFreeMb;
  }
  const problem = !writable
    ? 'the data folder cannot be written: decisions and cases cannot be saved; check its permissions and the disk'
    : lowDisk
      ? `the data folder has less than ${minFreeMb} MB free: free disk space before saving fails (MTBNET_MIN_FREE_MB sets the threshold)`
      : undefined;
  return { writable, lowDisk, ...(problem ? { problem } : {}) };
}

/** Answer 503 when a handler has not answered in time (the server also bounds how long a request may take to arrive). */
function deadline(ms: number): RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => {
      if (!res.headersSent) {
        res.status(503).json({ error: { code: 'timeout', message: `api: no answer within ${Math.round(ms / 1000)} s; try again`, details: [] } });
      }
    }, ms);
    timer.unref();
    res.once('finish', () => clearTimeout(timer));
    res.once('close', () => clearTimeout(timer));
    next();
  };
}

/** The client's policy: everything from this origin only, no inline script, no framing. */
function clientCsp(https: boolean) {
  return {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      workerSrc: ["'self'", 'blob:'],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      ...(https ? { upgradeInsecureRequests: [] } : {}),
    },
  };
}

/** API answers are data: no script ever; inline styles only (a rendered report). */
const API_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A Host header naming this machine by a loopback name, with or without a port. */
const LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/i;

/** See AppOptions.loopbackHostsOnly. */
function loopbackHosts(req: Request, res: Response, next: NextFunction): void {
  const host = req.headers.host ?? '';
  if (LOOPBACK_HOST.test(host)) return next();
  res.status(421).json({
    error: {
      code: 'host_not_allowed',
      message: `mtbnet with MTBNET_AUTH=local answers requests to localhost, 127.0.0.1 or [::1] only, not to "${host.slice(0, 200)}": open http://localhost:<port>/ (or leave MTBNET_AUTH out and sign in with accounts)`,
    },
  });
}

export function createApp(options: AppOptions): Express {
  const {
    engine, store, accounts, clientDir = DEFAULT_CLIENT_DIR, bodyLimit = '20mb', log, cookieSecure = 'auto', trustProxy,
    loginLimit = 10, rankLimit = 600, timeoutMs = 30_000, dataDir, minFreeMb = 100, writeReserveMb = 16,
  } = options;
  const auth = options.auth ?? (accounts ? sessionAuth(accounts) : nobody);
  const https = cookieSecure === true;
  const app = express();
  app.disable('x-powered-by');
  // API answers are computed per request; hashing every body for an ETag costs more than it saves.
  app.set('etag', false);
  app.set('query parser', 'simple');
  if (trustProxy !== undefined) app.set('trust proxy', trustProxy);
  app.use(helmet({
    contentSecurityPolicy: clientCsp(https),
    strictTransportSecurity: https ? { maxAge: 180 * 24 * 3600, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
  }));
  app.use(deadline(timeoutMs));
  if (options.loopbackHostsOnly) app.use(loopbackHosts);

  const api = express.Router();
  api.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', API_CSP);
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(authenticate(auth, { csrfExempt: ['/auth/login', '/auth/setup'] }));
  // Sign-in and account routes take small bodies only.
  api.use(['/auth', '/users'], express.json({ limit: '16kb', strict: true }));
  const oidc = options.oidc ? new OidcClient(options.oidc, { log: log ?? ((m: string) => console.error(m)) }) : undefined;
  api.use(authRouter(accounts, { cookieSecure, loginLimit, accountsMode: !options.auth, oidc }));
  // A write from no one signed in is refused before its body is read: parsing anonymous 19 MB bodies delayed every
  // other request by seconds (a hospital security review), and no route takes one.
  api.use((req, _res, next) => next(UNSAFE_METHODS.has(req.method) && !req.principal ? new UnauthorizedError() : undefined));
  // A change on a disk about to fill is refused before its body is read (writeReserve).
  if (dataDir !== undefined && writeReserveMb > 0) api.use(writeReserve(dataDir, writeReserveMb));
  api.use(express.json({ limit: bodyLimit, strict: false }));
  api.use(express.text({ limit: bodyLimit, type: ['text/*', 'application/vcf', 'text/x-vcf'] }));
  if (rankLimit > 0) api.use(rankLimiter(rankLimit));
  api.use(writeHooks(accounts, store));
  if (store) api.use(caseReads(accounts, log ?? ((m: string) => console.error(m))));
  const started = Date.now();
  const health = () => {
    const info = engine.kb.graph.getAttributes();
    // Only whether the data folder takes writes, not where it is or how much is free: anyone may ask.
    const data = dataDir === undefined ? undefined : dataFolderHealth(dataDir, minFreeMb);
    return {
      status: data?.problem ? 'degraded' : 'ok',
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      kb: { name: info.name, version: info.version, hash: info.hash, evidence: engine.kb.counts.evidence },
      ...(store ? { store: (({ kind, schemaVersion }) => ({ kind, schemaVersion }))(store.info()) } : {}),
      ...(data ? { data } : {}),
    };
  };
  // Liveness: 200 while the process answers, degraded or not (a board can still read and present with a full disk, and
  // restarting the server would not free it). Readiness, for monitoring by status code: 503 once saving would fail.
  api.get('/health', publicRoute, (_req, res) => res.json(health()));
  api.get('/health/ready', publicRoute, (_req, res) => {
    const h = health();
    res.status(h.status === 'ok' ? 200 : 503).json(h);
  });
  const doc = openApiDocument(process.env.npm_package_version ?? '0.1.0');
  api.get('/openapi.json', publicRoute, (_req, res) => res.json(doc));
  api.use(rankRouter(engine));
  api.use(kbRouter(engine));
  if (store) api.use(casesRouter(caseContext(store, engine)));
  api.use(notFound);
  app.use('/api', api);

  if (existsSync(join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: 'index.html', maxAge: '1h' }));
    // Client-side routes fall back to the app shell.
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(join(clientDir, 'index.html')));
  } else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('mtbnet: the client is not built. Run `npm run build` (npm start does it for you).');
    });
  }
  // Internal errors are logged with what looks like an identifier masked (dates, long numbers, e-mail addresses).
  const logError = log ?? ((m: string) => console.error(m));
  app.use(errorHandler((m) => logError(redactForLog(m))));
  return app;
}

/**
 * The Express application, built and returned without listening, so tests
 * start the real app on an ephemeral port. Feature routers are mounted under
 * /api behind the authentication seam; the built client is served at /.
 */
import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../engine.ts';
import { authenticate, localSingleUser, type AuthStrategy } from './auth.ts';
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
  auth?: AuthStrategy;
  /** Folder of the built client (vite build); not served when absent. */
  clientDir?: string;
  /** Body size limit for profiles sent inline. */
  bodyLimit?: string;
  log?: (message: string) => void;
}

export function createApp(options: AppOptions): Express {
  const { engine, store, auth = localSingleUser, clientDir = DEFAULT_CLIENT_DIR, bodyLimit = '20mb', log } = options;
  const app = express();
  app.disable('x-powered-by');
  // API answers are computed per request; hashing every body for an ETag costs more than it saves.
  app.set('etag', false);
  app.set('query parser', 'simple');

  const api = express.Router();
  api.use(express.json({ limit: bodyLimit, strict: false }));
  api.use(express.text({ limit: bodyLimit, type: ['text/*', 'application/vcf', 'text/x-vcf'] }));
  api.use(authenticate(auth));
  const started = Date.now();
  api.get('/health', (_req, res) => {
    const info = engine.kb.graph.getAttributes();
    res.json({
      status: 'ok',
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      kb: { name: info.name, version: info.version, hash: info.hash, evidence: engine.kb.counts.evidence },
      ...(store ? { store: (({ kind, schemaVersion }) => ({ kind, schemaVersion }))(store.info()) } : {}),
    });
  });
  const doc = openApiDocument(process.env.npm_package_version ?? '0.1.0');
  api.get('/openapi.json', (_req, res) => res.json(doc));
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
  app.use(errorHandler(log));
  return app;
}

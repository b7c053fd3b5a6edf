/**
 * Start the server: load the knowledge base, open the case store and the
 * accounts, listen, and shut down cleanly on SIGTERM / SIGINT (finish
 * in-flight requests, then exit).
 *
 * Local accounts are the default: on a fresh install the first visit creates
 * the admin account. `MTBNET_AUTH=local` is an explicit single-user
 * development mode (everyone is a local admin), allowed on loopback only.
 */
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { createApp } from './api/app.ts';
import { listen } from './api/http-server.ts';
import { localSingleUser } from './api/auth.ts';
import { createEngine, type EngineOptions } from './engine.ts';
import { Accounts } from './security/accounts.ts';
import { oidcSettingsFromEnv } from './security/oidc.ts';
import { AppError } from './domain/errors.ts';
import express from 'express';
import { SECURITY_DB_FILE } from './security/open.ts';
import { loadPseudonymKey } from './security/pseudonym-key.ts';
import { openStore, storeConfigFromEnv, DEFAULT_DATA_DIR } from './store/index.ts';
import { SqliteCaseStore } from './store/sqlite/store.ts';
import { SqliteSecurityStore } from './store/sqlite/security-store.ts';

export interface ServeOptions extends EngineOptions {
  port?: number;
  host?: string;
  log?: (message: string) => void;
  /** Folder of the SQLite case store (default ./data, or MTBNET_DATA_DIR); ignored when NEO4J_URI is set. */
  dataDir?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** A setting of the environment is not one mtbnet understands: the start stops, naming it (exit 2). */
export class ConfigError extends AppError {
  constructor(message: string) {
    super('invalid_config', `serve: ${message}`, 400);
  }
}

/** A security setting is never guessed: `MTBNET_COOKIE_SECURE=TRUE` or `yes` used to turn Secure cookies off, silently. */
export function cookieSecureFromEnv(v: string | undefined): boolean | 'auto' {
  const s = (v ?? '').trim().toLowerCase();
  if (s === '' || s === 'auto') return 'auto';
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  throw new ConfigError(`MTBNET_COOKIE_SECURE is "${v}": use true, false or auto (the default: Secure cookies when the request came over https)`);
}
export function trustProxyFromEnv(v: string | undefined): boolean | number | string | undefined {
  if (v === undefined || v === '') return undefined;
  if (v === 'true' || v === 'false') return v === 'true';
  const value = /^\d+$/.test(v) ? Number(v) : v;
  try {
    // Express compiles the setting at once (addresses, subnets, loopback/linklocal/uniquelocal), as createApp will.
    express().set('trust proxy', value);
  } catch (e) {
    throw new ConfigError(`MTBNET_TRUST_PROXY is "${v}": ${(e as Error).message}; use true, a number of proxies, or their addresses (e.g. loopback or 10.0.0.0/8)`);
  }
  return value;
}
/** A body size as body-parser reads it: 20mb, 512kb, 1048576. */
export function bodyLimitFromEnv(v: string | undefined): string | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  if (!/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i.test(v.trim())) throw new ConfigError(`MTBNET_BODY_LIMIT is "${v}": give a size such as 20mb or 512kb`);
  return v.trim();
}
export function numberFromEnv(name: string, v: string | undefined, what = 'requests (0 turns the limit off)'): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  if (!/^\d+$/.test(v.trim())) throw new ConfigError(`${name} is "${v}": give a whole number of ${what}`);
  return Number(v.trim());
}

export async function serve(options: ServeOptions = {}): Promise<Server> {
  const log = options.log ?? ((m: string) => console.error(m));
  const env = process.env;
  // Single sign-on (MTBNET_OIDC_*): an incomplete or invalid configuration stops the start, before anything opens.
  const oidc = env.MTBNET_AUTH === 'local' ? undefined : oidcSettingsFromEnv(env);
  // The other settings too: a typo stops the start, naming the variable, before anything opens.
  const settings = {
    cookieSecure: cookieSecureFromEnv(env.MTBNET_COOKIE_SECURE),
    trustProxy: trustProxyFromEnv(env.MTBNET_TRUST_PROXY),
    rankLimit: numberFromEnv('MTBNET_RANK_LIMIT', env.MTBNET_RANK_LIMIT),
    loginLimit: numberFromEnv('MTBNET_LOGIN_LIMIT', env.MTBNET_LOGIN_LIMIT),
    bodyLimit: bodyLimitFromEnv(env.MTBNET_BODY_LIMIT),
    minFreeMb: numberFromEnv('MTBNET_MIN_FREE_MB', env.MTBNET_MIN_FREE_MB, 'megabytes (0 turns the check off)'),
    writeReserveMb: numberFromEnv('MTBNET_WRITE_RESERVE_MB', env.MTBNET_WRITE_RESERVE_MB, 'megabytes (0 never refuses a write)'),
  };
  const port = options.port ?? Number(env.PORT ?? 3000);
  const host = options.host ?? env.HOST ?? '127.0.0.1';
  const localMode = env.MTBNET_AUTH === 'local';
  if (localMode && !LOOPBACK.has(host)) {
    throw new ConfigError(`MTBNET_AUTH=local lets everyone in as admin and is allowed on loopback only, not on ${host}: leave it out to sign in with accounts`);
  }
  const config = storeConfigFromEnv(env, { dataDir: options.dataDir });
  // Sample names in uploads become pseudonymous IDs under the installation's key (created on first start).
  const engine = createEngine({ ...options, pseudonymKey: options.pseudonymKey ?? loadPseudonymKey({ dataDir: config.dataDir, env }) });
  const store = await openStore(config);
  // Accounts and the audit log live beside the cases: in the same SQLite file, or in a file of their own with Neo4j.
  const security = new SqliteSecurityStore(
    store instanceof SqliteCaseStore ? store.db : { file: join(resolve(config.dataDir ?? DEFAULT_DATA_DIR), SECURITY_DB_FILE) },
  );
  const accounts = new Accounts(security);
  const app = createApp({
    engine, store, accounts, log,
    dataDir: resolve(config.dataDir ?? DEFAULT_DATA_DIR),
    auth: localMode ? localSingleUser : undefined,
    loopbackHostsOnly: localMode,
    oidc,
    ...settings,
  });
  const server = await listen(app, port, host);
  // A request must arrive within 60 s (headers within 20 s); idle keep-alive connections close after 5 s.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 5_000;
  const c = engine.kb.counts;
  log(`mtbnet: knowledge base ${engine.kb.graph.getAttribute('version')} (${c.evidence} evidence items, ${c.drugs} drugs, ${c.genes} genes)`);
  const si = store.info();
  log(`mtbnet: case store ${si.kind} at ${si.location} (schema version ${si.schemaVersion})`);
  if (localMode) log('mtbnet: MTBNET_AUTH=local: single-user development mode, everyone is a local admin (loopback only)');
  else if (accounts.setupRequired()) log('mtbnet: no account yet: open the address below and create the admin account');
  if (oidc) log(`mtbnet: single sign-on through ${oidc.name} (${oidc.issuer.href})${accounts.setupRequired() ? ', open once the admin account exists' : ''}`);
  log(`mtbnet: serving http://${host === '0.0.0.0' ? 'localhost' : host}:${(server.address() as { port: number }).port}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`mtbnet: ${signal}: finishing in-flight requests`);
    server.close(() => {
      security.close();
      void store.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    // Keep-alive connections that finish their request are closed as they go idle.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    idle.unref();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return server;
}

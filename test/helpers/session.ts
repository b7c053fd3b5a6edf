/**
 * A signed-in HTTP client for the security tests: keeps the session cookie
 * like a browser, sends the CSRF token on writes (unless told not to), and
 * starts apps with real local accounts on a temp SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Accounts } from '../../server/security/accounts.ts';
import { SqliteCaseStore } from '../../server/store/sqlite/store.ts';
import { SqliteSecurityStore } from '../../server/store/sqlite/security-store.ts';
import type { Role } from '../../server/security/roles.ts';
import type { AppOptions } from '../../server/api/app.ts';
import { startServer, type RunningServer } from './server.ts';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class Browser {
  cookie: string | undefined;
  csrf: string | undefined;
  constructor(readonly base: string) {}

  async call<T = any>(method: string, path: string, body?: unknown, options: { csrf?: boolean; headers?: Record<string, string>; raw?: string } = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (options.csrf !== false && this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${this.base}${path}`, { method, headers, body: options.raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const v = /mtbnet_session=([^;]*)/.exec(setCookie)?.[1];
      this.cookie = v ? `mtbnet_session=${v}` : undefined;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    if (parsed && typeof parsed === 'object' && typeof (parsed as { csrfToken?: unknown }).csrfToken === 'string') this.csrf = (parsed as { csrfToken: string }).csrfToken;
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async login(username: string, password: string): Promise<Reply> {
    return this.call('POST', '/api/auth/login', { username, password });
  }
}

export const PASSWORD = 'correct horse battery staple';

export interface SecureServer {
  dir: string;
  file: string;
  store: SqliteCaseStore;
  accounts: Accounts;
  server: RunningServer;
  /** A signed-in browser for a new user holding these roles. */
  as: (roles: Role[], name?: string) => Promise<Browser>;
  anonymous: () => Browser;
  close: () => Promise<void>;
}

let users = 0;

/** The real app with local accounts on a temp SQLite file; an admin `root` exists unless `fresh`. */
export async function startSecureServer(options: Omit<AppOptions, 'store' | 'accounts'> & { fresh?: boolean }): Promise<SecureServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mtbnet-sec-'));
  const file = join(dir, 'mtbnet.sqlite');
  const store = new SqliteCaseStore({ file });
  const accounts = new Accounts(new SqliteSecurityStore(store.db));
  if (!options.fresh) await accounts.addUser({ username: 'root', password: PASSWORD, roles: ['admin'] }, 'test');
  const { fresh: _f, ...appOptions } = options;
  const server = await startServer({ ...appOptions, store, accounts });
  return {
    dir, file, store, accounts, server,
    anonymous: () => new Browser(server.url),
    as: async (roles, name) => {
      const id = name ?? `u${++users}-${roles.join('-')}`;
      if (!accounts.getUser(id)) await accounts.addUser({ username: id, password: PASSWORD, roles }, 'test');
      const b = new Browser(server.url);
      const r = await b.login(id, PASSWORD);
      if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
      return b;
    },
    close: async () => {
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

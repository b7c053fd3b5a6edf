/**
 * Accounts and sessions: local users with scrypt-hashed passwords and one or
 * more roles; server-side sessions identified by a random 256-bit token that
 * only the browser's cookie holds (the database keeps its SHA-256), each with
 * its own CSRF token (synchroniser pattern), an idle and an absolute lifetime.
 * Every sign-in, sign-out and account change is written to the audit log.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError, ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.ts';
import type { SqliteSecurityStore, UserRow } from '../store/sqlite/security-store.ts';
import { AuditLog } from './audit.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import { isRole, ROLES, type Role } from './roles.ts';

export const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface User {
  id: string;
  name: string | null;
  roles: Role[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SessionOptions {
  /** A session unused this long ends (default 12 hours). */
  idleMs?: number;
  /** A session ends this long after sign-in whatever happens (default 7 days). */
  absoluteMs?: number;
}

export interface SignedIn {
  /** The cookie value; shown to nobody else. */
  token: string;
  csrfToken: string;
  user: User;
  expiresAt: number;
}

export interface SessionUser {
  user: User;
  csrfToken: string;
  tokenHash: string;
}

export class InvalidCredentialsError extends AppError {
  constructor() {
    super('invalid_credentials', 'security: unknown user name or wrong password', 401);
  }
}

const toUser = (u: UserRow): User => ({
  id: u.id, name: u.name, roles: u.roles.filter(isRole), disabled: u.disabled, createdAt: u.createdAt, updatedAt: u.updatedAt,
});
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function normaliseUsername(name: string): string {
  const id = String(name ?? '').trim().toLowerCase();
  if (!USERNAME.test(id)) {
    throw new InvalidInputError('security: invalid user name', [{ path: 'username', message: 'letters, digits, . _ - (up to 64), starting with a letter or digit' }]);
  }
  return id;
}

function checkRoles(roles: readonly string[]): Role[] {
  const bad = roles.filter((r) => !isRole(r));
  if (bad.length || roles.length === 0) {
    throw new InvalidInputError('security: invalid roles', [{ path: 'roles', message: `one or more of ${ROLES.join(', ')}${bad.length ? `; not ${bad.join(', ')}` : ''}` }]);
  }
  return [...new Set(roles as Role[])].sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));
}

export class Accounts {
  readonly audit: AuditLog;
  private readonly idleMs: number;
  private readonly absoluteMs: number;
  /** A hash to verify against when the user does not exist, so timing does not tell. */
  private dummyHash: Promise<string> | undefined;

  constructor(
    readonly store: SqliteSecurityStore,
    options: SessionOptions & { clock?: () => number } = {},
  ) {
    this.idleMs = options.idleMs ?? 12 * 3600_000;
    this.absoluteMs = options.absoluteMs ?? 7 * 24 * 3600_000;
    this.clock = options.clock ?? Date.now;
    this.audit = new AuditLog(store, () => new Date(this.clock()).toISOString());
  }
  private readonly clock: () => number;

  private iso(): string {
    return new Date(this.clock()).toISOString();
  }

  /** True until the first account exists: the first visit then leads to creating the admin. */
  setupRequired(): boolean {
    return this.store.countUsers() === 0;
  }

  listUsers(): User[] {
    return this.store.listUsers().map(toUser);
  }

  getUser(id: string): User | undefined {
    const u = this.store.getUser(id);
    return u && toUser(u);
  }

  async addUser(input: { username: string; password: string; roles: readonly string[]; name?: string | null }, actor: string, options: { firstAdmin?: boolean } = {}): Promise<User> {
    const id = normaliseUsername(input.username);
    const roles = checkRoles(input.roles);
    checkPasswordPolicy(input.password);
    const at = this.iso();
    const row: UserRow = { id, name: input.name ?? null, roles, passwordHash: await hashPassword(input.password), disabled: false, createdAt: at, updatedAt: at };
    if (!this.store.insertUser(row, options.firstAdmin)) {
      throw options.firstAdmin
        ? new ConflictError('security: the first account exists already; sign in')
        : new ConflictError(`security: user "${id}" exists already`, [{ path: 'username', message: 'choose another name' }]);
    }
    this.audit.append({ actor, action: options.firstAdmin ? 'users.setup' : 'users.add', target: id, after: { roles, name: row.name } });
    return toUser(row);
  }

  private requireUser(id: string): UserRow {
    const u = this.store.getUser(normaliseUsername(id));
    if (!u) throw new NotFoundError(`security: no user "${id}"`, [{ path: 'username', message: 'unknown user' }]);
    return u;
  }

  setDisabled(username: string, disabled: boolean, actor: string): User {
    const u = this.requireUser(username);
    this.store.updateUser(u.id, { disabled }, this.iso());
    this.audit.append({ actor, action: disabled ? 'users.disable' : 'users.enable', target: u.id, before: { disabled: u.disabled }, after: { disabled } });
    return toUser(this.store.getUser(u.id)!);
  }

  setRoles(username: string, roles: readonly string[], actor: string): User {
    const u = this.requireUser(username);
    const next = checkRoles(roles);
    this.store.updateUser(u.id, { roles: next }, this.iso());
    this.audit.append({ actor, action: 'users.roles', target: u.id, before: { roles: u.roles }, after: { roles: next } });
    return toUser(this.store.getUser(u.id)!);
  }

  /** A new password (reset by an admin, or changed by the user); ends the user's sessions. */
  async setPassword(username: string, password: string, actor: string): Promise<void> {
    const u = this.requireUser(username);
    checkPasswordPolicy(password);
    this.store.updateUser(u.id, { passwordHash: await hashPassword(password) }, this.iso());
    this.audit.append({ actor, action: actor === u.id ? 'users.password' : 'users.reset', target: u.id });
  }

  /** Check a user's current password (for a password change). */
  async checkPassword(username: string, password: string): Promise<boolean> {
    const u = this.store.getUser(username);
    return !!u && (await verifyPassword(String(password ?? ''), u.passwordHash));
  }

  async login(username: string, password: string, meta: { ip?: string } = {}): Promise<SignedIn> {
    let id = '';
    try {
      id = normaliseUsername(username);
    } catch {
      id = '';
    }
    const row = id ? this.store.getUser(id) : undefined;
    this.dummyHash ??= hashPassword('not a password of anyone');
    const ok = await verifyPassword(String(password ?? ''), row?.passwordHash ?? (await this.dummyHash));
    if (!row || !ok || row.disabled) {
      this.audit.append({ actor: id || '(invalid name)', action: 'auth.login-failed', target: id || null, after: { reason: !row ? 'unknown user' : row.disabled ? 'disabled' : 'wrong password', ip: meta.ip } });
      throw new InvalidCredentialsError();
    }
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = this.clock();
    const expiresAt = now + this.absoluteMs;
    this.store.insertSession(sha256(token), { userId: row.id, csrf: csrfToken, createdAt: now, lastSeen: now, expiresAt });
    this.audit.append({ actor: row.id, action: 'auth.login', target: row.id, after: { ip: meta.ip } });
    return { token, csrfToken, user: toUser(row), expiresAt };
  }

  /** The signed-in user of a session token, or undefined (unknown, expired, idle too long, user disabled). */
  resolve(token: string | undefined): SessionUser | undefined {
    if (!token || token.length > 128) return undefined;
    const tokenHash = sha256(token);
    const s = this.store.getSession(tokenHash);
    if (!s) return undefined;
    const now = this.clock();
    if (now >= s.expiresAt || now - s.lastSeen >= this.idleMs) {
      this.store.deleteSession(tokenHash);
      return undefined;
    }
    const u = this.store.getUser(s.userId);
    if (!u || u.disabled) return undefined;
    // One write a minute at most per session, not one per request.
    if (now - s.lastSeen > 60_000) this.store.touchSession(tokenHash, now);
    return { user: toUser(u), csrfToken: s.csrf, tokenHash };
  }

  logout(tokenHash: string, actor: string): void {
    this.store.deleteSession(tokenHash);
    this.audit.append({ actor, action: 'auth.logout', target: actor });
  }
}

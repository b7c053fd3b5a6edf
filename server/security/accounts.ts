/**
 * Accounts and sessions: local users with scrypt-hashed passwords and one or
 * more roles; server-side sessions identified by a random 256-bit token that
 * only the browser's cookie holds (the database keeps its SHA-256), each with
 * its own CSRF token (synchroniser pattern), an idle and an absolute lifetime.
 * Every sign-in, sign-out and account change is written to the audit log.
 *
 * Accounts of single sign-on (server/security/oidc.ts) are local users too,
 * linked to one identity of the provider (issuer + subject); they have no
 * password (the hash column holds a marker nothing matches), take their roles
 * from the provider's claims at every sign-in, and get the same sessions.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError, ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.ts';
import type { SqliteSecurityStore, UserRow } from '../store/sqlite/security-store.ts';
import type { LogoutRequest, OidcIdentity } from './oidc.ts';
import { AuditLog } from './audit.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import { isRole, ROLES, type Role } from './roles.ts';

export const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** The password hash of an account that signs in through single sign-on: no password verifies against it. */
export const SSO_NO_PASSWORD = '!sso';

export interface User {
  id: string;
  name: string | null;
  roles: Role[];
  disabled: boolean;
  /** Signs in through single sign-on (no password). */
  sso: boolean;
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

/** A single sign-on the provider vouched for but mtbnet refuses (disabled account, no mapped role, no admin yet). */
export class SignInRefusedError extends AppError {
  constructor(code: string, message: string, status = 403) {
    super(code, `security: ${message}`, status);
  }
}

const toUser = (u: UserRow): User => ({
  id: u.id, name: u.name, roles: u.roles.filter(isRole), disabled: u.disabled, sso: u.passwordHash === SSO_NO_PASSWORD,
  createdAt: u.createdAt, updatedAt: u.updatedAt,
});
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function normaliseUsername(name: string): string {
  const id = String(name ?? '').trim().toLowerCase();
  if (!USERNAME.test(id)) {
    throw new InvalidInputError('security: invalid user name', [{ path: 'username', message: 'letters, digits, . _ - (up to 64), starting with a letter or digit' }]);
  }
  return id;
}

/**
 * A valid user name from what a provider calls the person (`preferred_username`,
 * an e-mail address, a subject): the part before any @, lower case, accents
 * dropped, other characters as '-'; room is left for a `-2` suffix.
 */
export function usernameFromClaim(hint: string): string {
  const local = hint.includes('@') && !hint.startsWith('@') ? hint.slice(0, hint.indexOf('@')) : hint;
  const id = local
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 56)
    .replace(/[._-]+$/, '');
  return id || 'sso-user';
}

/** Why an SSO sign-in whose groups no longer map to admin left the role on the account (audit `users.roles`). */
export const LAST_ADMIN_KEPT = 'the last enabled admin keeps the role the provider no longer gives: make another account admin first';

const isActiveAdmin = (x: { disabled: boolean; roles: readonly string[] }) => !x.disabled && x.roles.includes('admin');

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
    checkPasswordPolicy(input.password, id);
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

  /** Is this account the one enabled admin? Nobody could then manage accounts but from the server's shell without it. */
  private lastEnabledAdmin(u: UserRow): boolean {
    return isActiveAdmin(u) && !this.store.listUsers().some((x) => x.id !== u.id && isActiveAdmin(x));
  }

  /** Refuse to leave no enabled admin. */
  private keepAnAdmin(u: UserRow, after: { disabled: boolean; roles: readonly string[] }): void {
    if (isActiveAdmin(after) || !this.lastEnabledAdmin(u)) return;
    throw new ConflictError(`security: "${u.id}" is the last enabled admin; make another account admin first`, [
      { path: 'username', message: 'the last enabled admin keeps the role and stays enabled' },
    ]);
  }

  setDisabled(username: string, disabled: boolean, actor: string): User {
    const u = this.requireUser(username);
    this.keepAnAdmin(u, { disabled, roles: u.roles });
    this.store.updateUser(u.id, { disabled }, this.iso());
    this.audit.append({ actor, action: disabled ? 'users.disable' : 'users.enable', target: u.id, before: { disabled: u.disabled }, after: { disabled } });
    return toUser(this.store.getUser(u.id)!);
  }

  setRoles(username: string, roles: readonly string[], actor: string): User {
    const u = this.requireUser(username);
    const next = checkRoles(roles);
    this.keepAnAdmin(u, { disabled: u.disabled, roles: next });
    this.store.updateUser(u.id, { roles: next }, this.iso());
    this.audit.append({ actor, action: 'users.roles', target: u.id, before: { roles: u.roles }, after: { roles: next } });
    return toUser(this.store.getUser(u.id)!);
  }

  /** A new password (reset by an admin, or changed by the user); ends the user's sessions. */
  async setPassword(username: string, password: string, actor: string): Promise<void> {
    const u = this.requireUser(username);
    if (u.passwordHash === SSO_NO_PASSWORD) {
      throw new ConflictError(`security: "${u.id}" signs in through single sign-on and has no password here`, [{ path: 'password', message: 'change it at the identity provider' }]);
    }
    checkPasswordPolicy(password, u.id);
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
    const sso = row?.passwordHash === SSO_NO_PASSWORD;
    this.dummyHash ??= hashPassword('not a password of anyone');
    // Unknown users and single sign-on accounts are checked against the dummy hash: same time, never a match.
    const ok = await verifyPassword(String(password ?? ''), row && !sso ? row.passwordHash : await this.dummyHash);
    if (!row || !ok || sso || row.disabled) {
      const reason = !row ? 'unknown user' : sso ? 'single sign-on account' : row.disabled ? 'disabled' : 'wrong password';
      this.audit.append({ actor: id || '(invalid name)', action: 'auth.login-failed', target: id || null, after: { reason, ip: meta.ip } });
      throw new InvalidCredentialsError();
    }
    return this.startSession(row, { ip: meta.ip });
  }

  /**
   * Sign in someone the OpenID provider vouched for. Refused while no account
   * exists (the first admin is made by first-run setup, never through the
   * provider), for a disabled account, and when the claims map to no role.
   * The first sign-in of an identity creates its account (no password); later
   * ones take the roles the claims map to now.
   */
  async signInWithOidc(who: OidcIdentity, meta: { ip?: string } = {}): Promise<SignedIn> {
    if (this.setupRequired()) {
      throw new SignInRefusedError('setup_required', 'create the admin account first (first-run setup); single sign-on opens after it', 409);
    }
    const linked = this.store.getOidcUser(who.issuer, who.subject);
    const refuse = (code: string, reason: string, message: string): never => {
      this.audit.append({
        actor: linked ?? `oidc:${usernameFromClaim(who.username)}`, action: 'auth.login-failed', target: linked ?? null,
        after: { reason, via: 'oidc', issuer: who.issuer, subject: who.subject, claimValues: who.claimValues, ip: meta.ip },
      });
      throw new SignInRefusedError(code, message);
    };
    if (!linked) {
      if (who.roles.length === 0) refuse('no_role', 'no mapped role', `none of your groups at the identity provider gives a role in mtbnet; ask the administrator`);
      const at = this.iso();
      const made = this.store.insertOidcUser(
        { id: usernameFromClaim(who.username), name: who.name, roles: who.roles, passwordHash: SSO_NO_PASSWORD, disabled: false, createdAt: at, updatedAt: at },
        { issuer: who.issuer, subject: who.subject },
      );
      // A concurrent first sign-in of the same identity linked it meanwhile: go the way of a linked one.
      if (!made.created) return this.signInWithOidc(who, meta);
      this.audit.append({ actor: 'oidc', action: 'users.add', target: made.id, after: { roles: who.roles, name: who.name, via: 'oidc', issuer: who.issuer, subject: who.subject } });
      return this.startSession(this.store.getUser(made.id)!, { ip: meta.ip, via: 'oidc', issuer: who.issuer }, who.sid);
    }
    let row = this.store.getUser(linked)!;
    if (row.disabled) refuse('account_disabled', 'disabled', `the mtbnet account "${row.id}" is disabled; ask the administrator`);
    if (who.roles.length === 0) refuse('no_role', 'no mapped role', `none of your groups at the identity provider gives a role in mtbnet any more; ask the administrator`);
    let roles = checkRoles(who.roles);
    // The provider no more than an admin may leave mtbnet without an enabled admin (setRoles refuses the same): the
    // last one keeps the role beside what the groups map to now, and every such sign-in says so in the audit log.
    const keptAdmin = row.roles.includes('admin') && !roles.includes('admin') && this.lastEnabledAdmin(row);
    if (keptAdmin) roles = checkRoles([...roles, 'admin']);
    const changed = roles.join() !== row.roles.join();
    if (changed || keptAdmin) {
      if (changed) this.store.updateUser(row.id, { roles }, this.iso());
      this.audit.append({
        actor: 'oidc', action: 'users.roles', target: row.id, before: { roles: row.roles },
        after: { roles, via: 'oidc', claimValues: who.claimValues, ...(keptAdmin ? { keptAdmin: LAST_ADMIN_KEPT } : {}) },
      });
      row = this.store.getUser(row.id)!;
    }
    this.store.touchOidcIdentity(who.issuer, who.subject, this.iso());
    return this.startSession(row, { ip: meta.ip, via: 'oidc', issuer: who.issuer }, who.sid);
  }

  /**
   * Back-channel logout from the provider (a checked logout token): end the sessions its provider session
   * (`sid`) started, of the linked account when the token also names the subject; without a `sid`, every
   * session of the account linked to the subject. A token is taken once (its `jti`, remembered until it could
   * no longer be accepted). Audited as `auth.logout` with `via: oidc-backchannel`. Returns how many ended.
   */
  backchannelLogout(req: LogoutRequest, meta: { ip?: string } = {}): number {
    const now = this.clock();
    const linked = req.subject !== undefined ? this.store.getOidcUser(req.issuer, req.subject) : undefined;
    // A subject no account is linked to has no sessions here; with a sid as well, the sid alone must not end another account's.
    const match = req.subject !== undefined && linked === undefined ? undefined : { sid: req.sid, userId: linked };
    const ended = this.store.takeLogoutToken(req.jti, Math.max(req.acceptableUntil, now), now, match);
    if (ended === undefined) throw new SignInRefusedError('sso_logout_replayed', 'this logout token was used already (jti)', 400);
    this.audit.append({
      actor: linked ?? '(sso)', action: 'auth.logout', target: linked ?? null,
      after: { via: 'oidc-backchannel', issuer: req.issuer, ...(req.subject ? { subject: req.subject } : {}), ...(req.sid ? { sid: req.sid } : {}), sessions: ended, ip: meta.ip },
    });
    return ended;
  }

  private startSession(row: UserRow, after: { ip?: string; via?: 'oidc'; issuer?: string }, oidcSid?: string): SignedIn {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = this.clock();
    const expiresAt = now + this.absoluteMs;
    this.store.insertSession(sha256(token), { userId: row.id, csrf: csrfToken, createdAt: now, lastSeen: now, expiresAt, ...(oidcSid ? { oidcSid } : {}) });
    this.audit.append({ actor: row.id, action: 'auth.login', target: row.id, after });
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

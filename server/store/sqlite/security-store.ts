/**
 * The SQL of accounts, sessions and the audit log. The rules (password
 * hashing, session lifetimes, the hash chain) live in server/security; this
 * file only reads and writes rows, each write in one transaction.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { migrateSecurity } from './security-migrations.ts';

export interface UserRow {
  id: string;
  name: string | null;
  roles: string[];
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SessionRow {
  userId: string;
  csrf: string;
  createdAt: number;
  lastSeen: number;
  expiresAt: number;
  /** The provider's session (`sid` of the ID token) a single sign-on session came from: back-channel logout ends it. */
  oidcSid?: string;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  /** JSON text, or null. */
  before: string | null;
  after: string | null;
  prevHash: string;
  hash: string;
}

/** A sign-in through an OpenID provider in progress: what the callback must see again. */
export interface OidcPendingRow {
  state: string;
  nonce: string;
  codeVerifier: string;
  expiresAt: number;
}

interface RawUser { id: string; name: string | null; roles: string; password_hash: string; disabled: number; created_at: string; updated_at: string }
interface RawAudit { seq: number; at: string; actor: string; action: string; target: string | null; before: string | null; after: string | null; prev_hash: string; hash: string }

const toUser = (r: RawUser): UserRow => ({
  id: r.id, name: r.name, roles: JSON.parse(r.roles) as string[], passwordHash: r.password_hash, disabled: r.disabled === 1,
  createdAt: r.created_at, updatedAt: r.updated_at,
});
const toAudit = (r: RawAudit): AuditRow => ({
  seq: r.seq, at: r.at, actor: r.actor, action: r.action, target: r.target, before: r.before, after: r.after, prevHash: r.prev_hash, hash: r.hash,
});

export class SqliteSecurityStore {
  readonly db: Database.Database;
  private readonly owned: boolean;

  /** Use an open database (the case store's), or open a file of its own. */
  constructor(db: Database.Database | { file: string }) {
    if (db instanceof Database) {
      this.db = db;
      this.owned = false;
    } else {
      const file = db.file === ':memory:' ? ':memory:' : resolve(db.file);
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      this.owned = true;
    }
    migrateSecurity(this.db);
  }

  close(): void {
    if (this.owned && this.db.open) this.db.close();
  }

  private write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // Users

  countUsers(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  getUser(id: string): UserRow | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as RawUser | undefined;
    return r && toUser(r);
  }

  listUsers(): UserRow[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY id').all() as RawUser[]).map(toUser);
  }

  /** Insert a user; false when the id exists. With `onlyIfNone`, false too when any user exists (first-run setup). */
  insertUser(u: UserRow, onlyIfNone = false): boolean {
    return this.write(() => {
      if (onlyIfNone && this.countUsers() > 0) return false;
      if (this.db.prepare('SELECT 1 FROM users WHERE id = ?').get(u.id)) return false;
      this.db
        .prepare('INSERT INTO users (id, name, roles, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(u.id, u.name, JSON.stringify(u.roles), u.passwordHash, u.disabled ? 1 : 0, u.createdAt, u.updatedAt);
      return true;
    });
  }

  /** Change some fields of a user; false when there is no such user. Disabling or a new password ends its sessions. */
  updateUser(id: string, change: { passwordHash?: string; disabled?: boolean; roles?: string[]; name?: string | null }, at: string): boolean {
    return this.write(() => {
      const u = this.getUser(id);
      if (!u) return false;
      this.db
        .prepare('UPDATE users SET password_hash = ?, disabled = ?, roles = ?, name = ?, updated_at = ? WHERE id = ?')
        .run(change.passwordHash ?? u.passwordHash, (change.disabled ?? u.disabled) ? 1 : 0, JSON.stringify(change.roles ?? u.roles),
          change.name === undefined ? u.name : change.name, at, id);
      if (change.passwordHash !== undefined || change.disabled === true || change.roles !== undefined) {
        this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
      }
      return true;
    });
  }

  // Single sign-on (OpenID Connect)

  /** The local user an identity of an OpenID provider is linked to. */
  getOidcUser(issuer: string, subject: string): string | undefined {
    const r = this.db.prepare('SELECT user_id FROM oidc_identities WHERE issuer = ? AND subject = ?').get(issuer, subject) as { user_id: string } | undefined;
    return r?.user_id;
  }

  /** The identity linked to a user, if any. */
  getOidcIdentity(userId: string): { issuer: string; subject: string } | undefined {
    return this.db.prepare('SELECT issuer, subject FROM oidc_identities WHERE user_id = ?').get(userId) as { issuer: string; subject: string } | undefined;
  }

  /**
   * Create a user for an identity and link them, in one transaction. The id is
   * `u.id`, or the first of `u.id-2`, `u.id-3`, ... that is free. Returns the id
   * used; when the identity is linked already (a concurrent first sign-in), its
   * user's id and nothing is written.
   */
  insertOidcUser(u: UserRow, identity: { issuer: string; subject: string }): { id: string; created: boolean } {
    return this.write(() => {
      const linked = this.getOidcUser(identity.issuer, identity.subject);
      if (linked) return { id: linked, created: false };
      const taken = this.db.prepare('SELECT 1 FROM users WHERE id = ?');
      let id = u.id;
      for (let n = 2; taken.get(id); n++) id = `${u.id.slice(0, 60)}-${n}`;
      this.db
        .prepare('INSERT INTO users (id, name, roles, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(id, u.name, JSON.stringify(u.roles), u.passwordHash, u.disabled ? 1 : 0, u.createdAt, u.updatedAt);
      this.db
        .prepare('INSERT INTO oidc_identities (issuer, subject, user_id, created_at, last_login_at) VALUES (?, ?, ?, ?, ?)')
        .run(identity.issuer, identity.subject, id, u.createdAt, u.createdAt);
      return { id, created: true };
    });
  }

  touchOidcIdentity(issuer: string, subject: string, at: string): void {
    this.db.prepare('UPDATE oidc_identities SET last_login_at = ? WHERE issuer = ? AND subject = ?').run(at, issuer, subject);
  }

  /**
   * Keep a sign-in in progress; expired ones go first. False (nothing kept)
   * when `limit` unexpired ones are waiting already.
   */
  insertOidcPending(handleHash: string, p: OidcPendingRow, now: number, limit: number): boolean {
    return this.write(() => {
      this.db.prepare('DELETE FROM oidc_pending WHERE expires_at <= ?').run(now);
      if ((this.db.prepare('SELECT COUNT(*) AS n FROM oidc_pending').get() as { n: number }).n >= limit) return false;
      this.db
        .prepare('INSERT INTO oidc_pending (handle_hash, state, nonce, code_verifier, expires_at) VALUES (?, ?, ?, ?, ?)')
        .run(handleHash, p.state, p.nonce, p.codeVerifier, p.expiresAt);
      return true;
    });
  }

  /** Take a sign-in in progress (it can be used once): undefined when unknown, used or expired. */
  takeOidcPending(handleHash: string, now: number): OidcPendingRow | undefined {
    return this.write(() => {
      const r = this.db.prepare('SELECT state, nonce, code_verifier, expires_at FROM oidc_pending WHERE handle_hash = ?').get(handleHash) as
        | { state: string; nonce: string; code_verifier: string; expires_at: number }
        | undefined;
      if (!r) return undefined;
      this.db.prepare('DELETE FROM oidc_pending WHERE handle_hash = ?').run(handleHash);
      return r.expires_at > now ? { state: r.state, nonce: r.nonce, codeVerifier: r.code_verifier, expiresAt: r.expires_at } : undefined;
    });
  }

  // Sessions

  insertSession(tokenHash: string, s: SessionRow): void {
    this.write(() => {
      this.db
        .prepare('INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, expires_at, oidc_sid) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(tokenHash, s.userId, s.csrf, s.createdAt, s.lastSeen, s.expiresAt, s.oidcSid ?? null);
      // Housekeeping: expired sessions go when new ones come.
      this.db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(s.createdAt);
    });
  }

  getSession(tokenHash: string): SessionRow | undefined {
    const r = this.db.prepare('SELECT user_id, csrf, created_at, last_seen, expires_at FROM sessions WHERE token_hash = ?').get(tokenHash) as
      | { user_id: string; csrf: string; created_at: number; last_seen: number; expires_at: number }
      | undefined;
    return r && { userId: r.user_id, csrf: r.csrf, createdAt: r.created_at, lastSeen: r.last_seen, expiresAt: r.expires_at };
  }

  touchSession(tokenHash: string, lastSeen: number): void {
    this.db.prepare('UPDATE sessions SET last_seen = ? WHERE token_hash = ?').run(lastSeen, tokenHash);
  }

  deleteSession(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  /**
   * Back-channel logout: end the sessions of one provider session (`sid`; of `userId` when the token also named
   * the subject, together with that account's sessions that carry no provider session: started before mtbnet
   * kept it, or from a provider that sends none), or, without a `sid`, every session of `userId`. Returns how
   * many ended.
   */
  deleteOidcSessions(match: { sid?: string; userId?: string }): number {
    if (match.sid !== undefined) {
      return match.userId !== undefined
        ? this.db.prepare('DELETE FROM sessions WHERE user_id = ? AND (oidc_sid = ? OR oidc_sid IS NULL)').run(match.userId, match.sid).changes
        : this.db.prepare('DELETE FROM sessions WHERE oidc_sid = ?').run(match.sid).changes;
    }
    if (match.userId !== undefined) return this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(match.userId).changes;
    return 0;
  }

  /** Note a logout token's `jti` until it expires; false when it was seen already (a replay). Expired ones go. */
  noteLogoutToken(jti: string, expiresAt: number, now: number): boolean {
    return this.write(() => {
      this.db.prepare('DELETE FROM oidc_logout_tokens WHERE expires_at < ?').run(now);
      return this.db.prepare('INSERT OR IGNORE INTO oidc_logout_tokens (jti, expires_at) VALUES (?, ?)').run(jti, expiresAt).changes === 1;
    });
  }

  /**
   * One back-channel logout in one transaction: the token's `jti` noted (undefined when seen already: nothing
   * ends) and the sessions it names ended, so a failure leaves the token usable for the provider's retry.
   */
  takeLogoutToken(jti: string, expiresAt: number, now: number, match: { sid?: string; userId?: string } | undefined): number | undefined {
    return this.write(() => {
      if (!this.noteLogoutToken(jti, expiresAt, now)) return undefined;
      return match ? this.deleteOidcSessions(match) : 0;
    });
  }

  // Audit log

  /** Append one row; `seal` computes its hash from the previous row's hash and the new seq, in the same transaction. */
  appendAudit(entry: Omit<AuditRow, 'seq' | 'prevHash' | 'hash'>, seal: (seq: number, prevHash: string) => string, genesis: string): AuditRow {
    return this.write(() => {
      const last = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      const seq = (last?.seq ?? 0) + 1;
      const prevHash = last?.hash ?? genesis;
      const hash = seal(seq, prevHash);
      this.db
        .prepare('INSERT INTO audit_log (seq, at, actor, action, target, before, after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(seq, entry.at, entry.actor, entry.action, entry.target, entry.before, entry.after, prevHash, hash);
      return { ...entry, seq, prevHash, hash };
    });
  }

  /** Rows in order, from `afterSeq` (exclusive), at most `limit`. */
  listAudit(options: { afterSeq?: number; limit?: number; newestFirst?: boolean } = {}): AuditRow[] {
    const order = options.newestFirst ? 'DESC' : 'ASC';
    const rows = this.db
      .prepare(`SELECT * FROM audit_log WHERE seq > ? ORDER BY seq ${order} LIMIT ?`)
      .all(options.afterSeq ?? 0, options.limit ?? -1) as RawAudit[];
    return rows.map(toAudit);
  }

  *iterateAudit(): IterableIterator<AuditRow> {
    for (const r of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<RawAudit>) yield toAudit(r);
  }
}

/**
 * The security schema (users, sessions, the audit log), numbered migrations
 * of their own, tracked in `security_schema` rather than `PRAGMA user_version`
 * so the case store's schema and its version stay as they are. The tables
 * live in the same SQLite file as the cases (one backup holds both); with the
 * Neo4j case store they live in a SQLite file of their own.
 *
 * The audit log is append-only: triggers refuse UPDATE and DELETE, and every
 * row carries the hash of the one before it (server/security/audit.ts).
 *
 * Single sign-on (server/security/oidc.ts): `oidc_identities` links an
 * identity of an OpenID provider (issuer + subject) to one local user, whose
 * `password_hash` then holds a marker that no password matches;
 * `oidc_pending` keeps the state, nonce and PKCE verifier of sign-ins in
 * progress (ten minutes at most), keyed by the SHA-256 of the browser's handle.
 */
import type { Database } from 'better-sqlite3';
import { NewerSchemaError } from './migrations.ts';

export const SECURITY_MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'users, sessions, audit log',
    sql: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        name          TEXT,
        roles         TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      ) STRICT;
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users(id),
        csrf       TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen  INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE audit_log (
        seq       INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        target    TEXT,
        before    TEXT,
        after     TEXT,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `,
  },
  {
    version: 2,
    name: 'single sign-on: linked identities, sign-ins in progress',
    sql: `
      CREATE TABLE oidc_identities (
        issuer        TEXT NOT NULL,
        subject       TEXT NOT NULL,
        user_id       TEXT NOT NULL UNIQUE REFERENCES users(id),
        created_at    TEXT NOT NULL,
        last_login_at TEXT,
        PRIMARY KEY (issuer, subject)
      ) STRICT;
      CREATE TABLE oidc_pending (
        handle_hash   TEXT PRIMARY KEY,
        state         TEXT NOT NULL,
        nonce         TEXT NOT NULL,
        code_verifier TEXT NOT NULL,
        expires_at    INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX oidc_pending_expiry ON oidc_pending(expires_at);
    `,
  },
  {
    version: 3,
    name: 'single sign-on: back-channel logout (the provider session of each session, logout tokens seen)',
    sql: `
      ALTER TABLE sessions ADD COLUMN oidc_sid TEXT;
      CREATE INDEX sessions_oidc_sid ON sessions(oidc_sid) WHERE oidc_sid IS NOT NULL;
      CREATE TABLE oidc_logout_tokens (
        jti        TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
];

export const SECURITY_SCHEMA_VERSION = SECURITY_MIGRATIONS[SECURITY_MIGRATIONS.length - 1]!.version;

/** Bring the security tables up to SECURITY_SCHEMA_VERSION; refuse a newer database. */
export function migrateSecurity(db: Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS security_schema (version INTEGER NOT NULL) STRICT');
  const row = () => db.prepare('SELECT MAX(version) AS v FROM security_schema').get() as { v: number | null };
  const current = row().v ?? 0;
  if (current > SECURITY_SCHEMA_VERSION) {
    throw new NewerSchemaError(`store/sqlite: the security schema has version ${current}, newer than this mtbnet (${SECURITY_SCHEMA_VERSION}); upgrade mtbnet`);
  }
  for (const m of SECURITY_MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      // Another process may have migrated meanwhile: check again under the write lock.
      if ((row().v ?? 0) >= m.version) return;
      db.exec(m.sql);
      db.prepare('INSERT INTO security_schema (version) VALUES (?)').run(m.version);
    }).immediate();
  }
  return row().v ?? 0;
}

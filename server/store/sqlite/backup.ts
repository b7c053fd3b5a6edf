/**
 * Online backup and restore of the SQLite file with SQLite's backup API
 * (better-sqlite3 `db.backup`): a consistent copy of the database as of one
 * moment, taken page by page while the server goes on writing; and the same
 * API the other way to restore. Both check the result with
 * `PRAGMA integrity_check` and `PRAGMA foreign_key_check`.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { NewerSchemaError, SCHEMA_VERSION } from './migrations.ts';
import { SECURITY_SCHEMA_VERSION } from './security-migrations.ts';
import { dirname, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';

const ALL_PAGES = 0x7fffffff;

export interface DatabaseCheck {
  ok: boolean;
  integrity: string[];
  foreignKeyProblems: number;
  tables: Record<string, number>;
}

/** integrity_check, foreign_key_check and row counts of an open database. */
export function checkDatabase(db: Database.Database): DatabaseCheck {
  const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
  const fk = (db.pragma('foreign_key_check') as unknown[]).length;
  const tables: Record<string, number> = {};
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>) {
    tables[name] = (db.prepare(`SELECT COUNT(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n;
  }
  return { ok: integrity.length === 1 && integrity[0] === 'ok' && fk === 0, integrity, foreignKeyProblems: fk, tables };
}

export function checkDatabaseFile(file: string): DatabaseCheck {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return checkDatabase(db);
  } finally {
    db.close();
  }
}

/** Copy the live database `source` to `target` (written to a temporary file first, then renamed), and check the copy. */
export async function backupDatabase(source: string, target: string): Promise<DatabaseCheck & { bytes: number }> {
  const src = resolve(source);
  if (!existsSync(src)) throw new Error(`store/sqlite: no database at ${src}`);
  const out = resolve(target);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.partial-${process.pid}`;
  // Readable by the owner alone, like the data folder (0700): a backup holds the password hashes, the audit log and
  // every case. Created empty first, so that SQLite writes into a file that never had wider permissions.
  closeSync(openSync(tmp, 'w', 0o600));
  const db = new Database(src, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // All remaining pages in one step under one read transaction: a consistent snapshot even while
    // other connections write (copied a few pages at a time, the copy would restart after every write).
    await db.backup(tmp, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
  // A single self-contained file: no -wal beside the copy.
  const copy = new Database(tmp);
  copy.pragma('journal_mode = DELETE');
  const check = checkDatabase(copy);
  copy.close();
  if (!check.ok) {
    rmSync(tmp, { force: true });
    throw new Error(`store/sqlite: the backup failed its check: ${check.integrity.join('; ')}; ${check.foreignKeyProblems} foreign-key problem(s)`);
  }
  renameSync(tmp, out);
  return { ...check, bytes: statSync(out).size };
}

/** The case schema (user_version) and the security schema (its own table, absent in a store without accounts). */
function schemaVersionsOf(file: string): { cases: number; security: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hasSecurity = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'security_schema'").get() !== undefined;
    const security = hasSecurity ? ((db.prepare('SELECT MAX(version) AS v FROM security_schema').get() as { v: number | null }).v ?? 0) : 0;
    return { cases: db.pragma('user_version', { simple: true }) as number, security };
  } finally {
    db.close();
  }
}

/**
 * Replace the database `target` by the backup `source`. The backup is checked
 * first; the target is written through the backup API under SQLite's locks
 * (stop the server first: its cached pages would be stale).
 */
export async function restoreDatabase(source: string, target: string): Promise<DatabaseCheck> {
  const before = checkDatabaseFile(resolve(source));
  if (!before.ok) throw new Error(`store/sqlite: ${source} is not a sound database: ${before.integrity.join('; ')}`);
  const { cases, security } = schemaVersionsOf(resolve(source));
  if (cases > SCHEMA_VERSION || security > SECURITY_SCHEMA_VERSION) {
    const which = cases > SCHEMA_VERSION ? `schema version ${cases}, newer than this mtbnet (${SCHEMA_VERSION})` : `security schema version ${security}, newer than this mtbnet (${SECURITY_SCHEMA_VERSION})`;
    throw new NewerSchemaError(`store/sqlite: ${source} has ${which}: restore it with the mtbnet that wrote it, or upgrade; nothing was replaced`);
  }
  const out = resolve(target);
  mkdirSync(dirname(out), { recursive: true });
  const src = new Database(resolve(source), { readonly: true, fileMustExist: true });
  try {
    await src.backup(out, { progress: () => ALL_PAGES });
  } finally {
    src.close();
  }
  const db = new Database(out);
  try {
    db.pragma('journal_mode = WAL');
    return checkDatabase(db);
  } finally {
    db.close();
  }
}

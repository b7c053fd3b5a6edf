/**
 * The SQLite schema, as numbered migrations. `PRAGMA user_version` holds the
 * schema version; each migration runs once, in its own transaction. Snapshots
 * are immutable: triggers refuse UPDATE and DELETE on them.
 */
import type { Database } from 'better-sqlite3';
import type { Profile } from '../../domain/profile.ts';
import { alterationSearchText, summaryAlterationsOf } from '../summary-search.ts';
import { AppError } from '../../domain/errors.ts';

/** A database written by a newer mtbnet: this one refuses to touch it (the CLI says so, without a stack trace). */
export class NewerSchemaError extends AppError {
  constructor(message: string) {
    super('newer_schema', message, 409);
  }
}

export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string; backfill?: (db: Database) => void }> = [
  {
    version: 1,
    name: 'cases, profiles, snapshots, meetings, decisions, follow-up',
    sql: `
      CREATE TABLE cases (
        id          TEXT PRIMARY KEY,
        tumour_type TEXT,
        status      TEXT NOT NULL CHECK (status IN ('new','prepared','discussed','decided','follow-up')),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;
      CREATE TABLE profiles (
        case_id      TEXT NOT NULL REFERENCES cases(id),
        seq          INTEGER NOT NULL,
        sample       TEXT,
        collected_on TEXT,
        created_at   TEXT NOT NULL,
        profile      TEXT NOT NULL,
        PRIMARY KEY (case_id, seq)
      ) STRICT;
      CREATE TABLE profile_alterations (
        case_id TEXT NOT NULL,
        seq     INTEGER NOT NULL,
        key     TEXT NOT NULL,
        PRIMARY KEY (case_id, seq, key),
        FOREIGN KEY (case_id, seq) REFERENCES profiles(case_id, seq)
      ) STRICT;
      CREATE INDEX profile_alterations_key ON profile_alterations(key);
      CREATE TABLE snapshots (
        id          TEXT PRIMARY KEY,
        case_id     TEXT NOT NULL REFERENCES cases(id),
        profile_seq INTEGER NOT NULL,
        created_at  TEXT NOT NULL,
        kb_name     TEXT NOT NULL,
        kb_version  TEXT NOT NULL,
        kb_hash     TEXT NOT NULL,
        scoring_version TEXT NOT NULL,
        agency      TEXT NOT NULL,
        top         TEXT NOT NULL,
        result      TEXT NOT NULL,
        FOREIGN KEY (case_id, profile_seq) REFERENCES profiles(case_id, seq)
      ) STRICT;
      CREATE INDEX snapshots_case ON snapshots(case_id, created_at);
      CREATE TRIGGER snapshots_immutable_update BEFORE UPDATE ON snapshots
        BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
      CREATE TRIGGER snapshots_immutable_delete BEFORE DELETE ON snapshots
        BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
      CREATE TABLE meetings (
        id         TEXT PRIMARY KEY,
        date       TEXT NOT NULL,
        board      TEXT NOT NULL,
        attendees  TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE agenda (
        meeting_id TEXT NOT NULL REFERENCES meetings(id),
        case_id    TEXT NOT NULL REFERENCES cases(id),
        position   INTEGER NOT NULL,
        PRIMARY KEY (meeting_id, case_id)
      ) STRICT;
      CREATE TABLE decisions (
        id            TEXT PRIMARY KEY,
        case_id       TEXT NOT NULL REFERENCES cases(id),
        meeting_id    TEXT NOT NULL REFERENCES meetings(id),
        snapshot_id   TEXT REFERENCES snapshots(id),
        therapy_id    TEXT NOT NULL,
        followed_top  INTEGER NOT NULL,
        recorded_by   TEXT NOT NULL,
        recorded_at   TEXT NOT NULL,
        body          TEXT NOT NULL,
        FOREIGN KEY (meeting_id, case_id) REFERENCES agenda(meeting_id, case_id)
      ) STRICT;
      CREATE INDEX decisions_case ON decisions(case_id);
      CREATE TABLE follow_ups (
        id          TEXT PRIMARY KEY,
        case_id     TEXT NOT NULL REFERENCES cases(id),
        decision_id TEXT NOT NULL REFERENCES decisions(id),
        recorded_at TEXT NOT NULL,
        body        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX follow_ups_case ON follow_ups(case_id);
    `,
  },
  {
    version: 2,
    name: "each profile's summary and search text: the case list reads and searches them, not the profiles",
    sql: `
      ALTER TABLE profiles ADD COLUMN summary TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE profiles ADD COLUMN search TEXT NOT NULL DEFAULT '';
      CREATE INDEX cases_updated ON cases(updated_at DESC, id);
    `,
    // The profiles stored before: their summaries, made as insertProfile makes them.
    backfill: (db) => {
      const set = db.prepare('UPDATE profiles SET summary = ?, search = ? WHERE rowid = ?');
      // In batches (a statement cannot write while another reads), so that a large database is never read whole.
      const batch = db.prepare('SELECT rowid AS at, profile FROM profiles WHERE rowid > ? ORDER BY rowid LIMIT 1000');
      for (let after = 0; ; ) {
        const rows = batch.all(after) as Array<{ at: number; profile: string }>;
        if (rows.length === 0) break;
        for (const row of rows) {
          const alterations = summaryAlterationsOf(JSON.parse(row.profile) as Profile);
          set.run(JSON.stringify(alterations), alterationSearchText(alterations), row.at);
        }
        after = rows[rows.length - 1]!.at;
      }
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Bring the database up to SCHEMA_VERSION; refuse a database from a newer mtbnet. */
export function migrate(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new NewerSchemaError(`store/sqlite: the database has schema version ${current}, newer than this mtbnet (${SCHEMA_VERSION}); upgrade mtbnet`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.backfill?.(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * The embedded case store: one SQLite file (better-sqlite3), WAL journal,
 * synchronous=FULL so an acknowledged write survives a power cut, foreign keys
 * on, and every multi-row write in one transaction. All SQL of mtbnet is here
 * and in migrations.ts.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import type {
  CaseDetail, CaseRecord, CaseStatus, CaseSummary, CaseSummaryPage, Decision, FollowUp, Meeting, ProfileRecord, Snapshot,
} from '../../domain/case.ts';
import { type AlterationHit, type CaseFilter, type CaseStore, type CaseSummaryFilter, type StoreInfo, type Transition } from '../types.ts';
import { migrate } from './migrations.ts';
import { alterationSearchText, summaryAlterationsOf, termAlternatives, type CaseSummaryPageQuery } from '../summary-search.ts';

export const DB_FILE = 'mtbnet.sqlite';

interface CaseRow { id: string; tumour_type: string | null; status: CaseStatus; created_at: string; updated_at: string }
interface ProfileRow { case_id: string; seq: number; sample: string | null; collected_on: string | null; created_at: string; profile: string }
interface SnapshotRow {
  id: string; case_id: string; profile_seq: number; created_at: string; kb_name: string; kb_version: string; kb_hash: string;
  scoring_version: string; agency: string; top: string; result: string;
}
type SummaryRow = CaseRow & { latest_summary: string | null; latest_top: string | null };
const toSummary = (r: SummaryRow): CaseSummary => ({
  ...toCase(r),
  alterations: r.latest_summary ? (JSON.parse(r.latest_summary) as CaseSummary['alterations']) : [],
  top: r.latest_top ? (JSON.parse(r.latest_top) as string[]).slice(0, 5) : [],
});
interface MeetingRow { id: string; date: string; board: string; attendees: string; created_at: string }

const toCase = (r: CaseRow): CaseRecord => ({
  id: r.id, tumourType: r.tumour_type, status: r.status, createdAt: r.created_at, updatedAt: r.updated_at,
});
const toProfile = (r: ProfileRow, keys: string[]): ProfileRecord => ({
  caseId: r.case_id, seq: r.seq, sample: r.sample, collectedOn: r.collected_on, createdAt: r.created_at,
  profile: JSON.parse(r.profile), alterationKeys: keys,
});
const toSnapshot = (r: SnapshotRow): Snapshot => ({
  id: r.id, caseId: r.case_id, profileSeq: r.profile_seq, createdAt: r.created_at,
  kb: { name: r.kb_name, version: r.kb_version, hash: r.kb_hash },
  scoring: { version: r.scoring_version, agency: r.agency },
  top: JSON.parse(r.top), result: JSON.parse(r.result),
});

export interface SqliteStoreOptions {
  /** The database file; ':memory:' for a throwaway store. */
  file: string;
}

export class SqliteCaseStore implements CaseStore {
  readonly db: Database.Database;
  private readonly file: string;
  private readonly version: number;

  constructor(options: SqliteStoreOptions) {
    this.file = options.file === ':memory:' ? ':memory:' : resolve(options.file);
    if (this.file !== ':memory:') mkdirSync(dirname(this.file), { recursive: true });
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.version = migrate(this.db);
  }

  info(): StoreInfo {
    return { kind: 'sqlite', location: this.file, schemaVersion: this.version };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Run `fn` in one IMMEDIATE transaction (a writer lock from the start). */
  private write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  private applyTransition(caseId: string, t: Transition): void {
    const r = this.db
      .prepare('UPDATE cases SET status = ?, updated_at = ? WHERE id = ? AND status = ?')
      .run(t.to, t.at, caseId, t.from);
    if (r.changes === 1) return;
    const row = this.db.prepare('SELECT status FROM cases WHERE id = ?').get(caseId) as { status: string } | undefined;
    if (!row) throw new NotFoundError(`store: no case "${caseId}"`);
    throw new ConflictError(`store: case "${caseId}" is ${row.status}, not ${t.from}`);
  }

  private insertProfile(p: ProfileRecord): void {
    // What the case list shows and searches of this profile, kept beside it (pageCaseSummaries reads only these).
    const summary = summaryAlterationsOf(p.profile);
    this.db
      .prepare('INSERT INTO profiles (case_id, seq, sample, collected_on, created_at, profile, summary, search) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(p.caseId, p.seq, p.sample, p.collectedOn, p.createdAt, JSON.stringify(p.profile), JSON.stringify(summary), alterationSearchText(summary));
    const key = this.db.prepare('INSERT OR IGNORE INTO profile_alterations (case_id, seq, key) VALUES (?, ?, ?)');
    for (const k of p.alterationKeys) key.run(p.caseId, p.seq, k);
  }

  async createCase(c: CaseRecord, profile: ProfileRecord): Promise<void> {
    this.write(() => {
      if (this.db.prepare('SELECT 1 FROM cases WHERE id = ?').get(c.id)) throw new ConflictError(`store: case "${c.id}" exists already`);
      this.db
        .prepare('INSERT INTO cases (id, tumour_type, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(c.id, c.tumourType, c.status, c.createdAt, c.updatedAt);
      this.insertProfile(profile);
    });
  }

  async getCase(id: string): Promise<CaseDetail | undefined> {
    const row = this.db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
    if (!row) return undefined;
    const profiles = this.db.prepare('SELECT * FROM profiles WHERE case_id = ? ORDER BY seq').all(id) as ProfileRow[];
    const keys = this.db.prepare('SELECT seq, key FROM profile_alterations WHERE case_id = ? ORDER BY seq, key').all(id) as Array<{ seq: number; key: string }>;
    return {
      ...toCase(row),
      profiles: profiles.map((p) => toProfile(p, keys.filter((k) => k.seq === p.seq).map((k) => k.key))),
    };
  }

  async listCases(filter: CaseFilter = {}): Promise<CaseRecord[]> {
    const rows = this.db.prepare('SELECT * FROM cases ORDER BY created_at, id').all() as CaseRow[];
    const wanted = filter.status;
    return rows.map(toCase).filter((c) => !wanted || wanted.includes(c.status));
  }

  async listCaseSummaries(filter: CaseSummaryFilter = {}): Promise<CaseSummary[]> {
    return (this.summaryStatements().page.all({ ...this.summaryParams(filter, []), limit: -1, offset: 0 }) as SummaryRow[]).map(toSummary);
  }

  /**
   * Searched and paged in SQL: the latest profile's stored search text (insertProfile) after the case's ID and tumour
   * type, lower case as summarySearchText makes it (case IDs and OncoTree codes are ASCII, which SQLite's lower()
   * covers), holding each term (instr). Only the page's rows are read whole.
   */
  async pageCaseSummaries(query: CaseSummaryPageQuery): Promise<CaseSummaryPage> {
    const { page, count } = this.summaryStatements();
    // One read transaction: the page and its total agree.
    return this.db.transaction(() => {
      const params = this.summaryParams(query, query.terms);
      const rows = page.all({ ...params, limit: query.limit, offset: query.offset }) as SummaryRow[];
      const total = (count.get(params) as { total: number }).total;
      return { cases: rows.map(toSummary), total, limit: query.limit, offset: query.offset };
    })();
  }

  private summaryParams(filter: CaseSummaryFilter, terms: CaseSummaryPageQuery['terms']) {
    return {
      statuses: filter.status ? JSON.stringify(filter.status) : null,
      ids: filter.ids ? JSON.stringify(filter.ids) : null,
      // Each term a JSON list of its alternatives.
      terms: terms.length > 0 ? JSON.stringify(termAlternatives(terms)) : null,
    };
  }

  private summaryQueries?: { page: Database.Statement; count: Database.Statement };
  private summaryStatements(): { page: Database.Statement; count: Database.Statement } {
    // The cases the filters and terms keep; the latest profile through the (case_id, seq) key.
    const from = `FROM cases c
         LEFT JOIN profiles p ON p.case_id = c.id AND p.seq = (SELECT MAX(seq) FROM profiles WHERE case_id = c.id)
         WHERE (@statuses IS NULL OR c.status IN (SELECT value FROM json_each(@statuses)))
           AND (@ids IS NULL OR c.id IN (SELECT value FROM json_each(@ids)))
           AND (@terms IS NULL OR NOT EXISTS (
             SELECT 1 FROM json_each(@terms) t
             WHERE NOT EXISTS (
               SELECT 1 FROM json_each(t.value) a
               WHERE instr(lower(c.id) || char(10) || lower(COALESCE(c.tumour_type, '')) || COALESCE(p.search, ''), a.value) > 0)))`;
    return (this.summaryQueries ??= {
      page: this.db.prepare(
        `SELECT c.*, p.summary AS latest_summary,
           (SELECT s.top FROM snapshots s WHERE s.case_id = c.id AND s.profile_seq = p.seq ORDER BY s.created_at DESC, s.rowid DESC LIMIT 1) AS latest_top
         ${from}
         ORDER BY c.updated_at DESC, c.id
         LIMIT @limit OFFSET @offset`,
      ),
      count: this.db.prepare(`SELECT COUNT(*) AS total ${from}`),
    });
  }

  async addProfile(p: ProfileRecord): Promise<void> {
    this.write(() => {
      const row = this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS last FROM profiles WHERE case_id = ?').get(p.caseId) as { last: number };
      if (!this.db.prepare('SELECT 1 FROM cases WHERE id = ?').get(p.caseId)) throw new NotFoundError(`store: no case "${p.caseId}"`);
      if (p.seq !== row.last + 1) throw new ConflictError(`store: case "${p.caseId}" has ${row.last} profile(s); the next is ${row.last + 1}`);
      this.insertProfile(p);
      this.db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(p.createdAt, p.caseId);
    });
  }

  async setStatus(caseId: string, t: Transition): Promise<void> {
    this.write(() => this.applyTransition(caseId, t));
  }

  async addSnapshot(s: Snapshot, t?: Transition): Promise<void> {
    this.write(() => {
      this.db
        .prepare(
          `INSERT INTO snapshots (id, case_id, profile_seq, created_at, kb_name, kb_version, kb_hash, scoring_version, agency, top, result)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.id, s.caseId, s.profileSeq, s.createdAt, s.kb.name, s.kb.version, s.kb.hash, s.scoring.version, s.scoring.agency,
          JSON.stringify(s.top), JSON.stringify(s.result));
      if (t) this.applyTransition(s.caseId, t);
    });
  }

  async getSnapshot(id: string): Promise<Snapshot | undefined> {
    const row = this.db.prepare('SELECT * FROM snapshots WHERE id = ?').get(id) as SnapshotRow | undefined;
    return row && toSnapshot(row);
  }

  async listSnapshots(caseId: string): Promise<Snapshot[]> {
    const rows = this.db.prepare('SELECT * FROM snapshots WHERE case_id = ? ORDER BY created_at DESC, rowid DESC').all(caseId) as SnapshotRow[];
    return rows.map(toSnapshot);
  }

  async createMeeting(m: Meeting): Promise<void> {
    this.write(() => {
      this.db
        .prepare('INSERT INTO meetings (id, date, board, attendees, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(m.id, m.date, m.board, JSON.stringify(m.attendees), m.createdAt);
      const add = this.db.prepare('INSERT INTO agenda (meeting_id, case_id, position) VALUES (?, ?, ?)');
      m.agenda.forEach((caseId, i) => add.run(m.id, caseId, i + 1));
    });
  }

  private agendaOf(meetingId: string): string[] {
    const rows = this.db.prepare('SELECT case_id FROM agenda WHERE meeting_id = ? ORDER BY position').all(meetingId) as Array<{ case_id: string }>;
    return rows.map((r) => r.case_id);
  }

  private toMeeting(r: MeetingRow): Meeting {
    return { id: r.id, date: r.date, board: r.board, attendees: JSON.parse(r.attendees), agenda: this.agendaOf(r.id), createdAt: r.created_at };
  }

  async getMeeting(id: string): Promise<Meeting | undefined> {
    const row = this.db.prepare('SELECT * FROM meetings WHERE id = ?').get(id) as MeetingRow | undefined;
    return row && this.toMeeting(row);
  }

  async listMeetings(): Promise<Meeting[]> {
    const rows = this.db.prepare('SELECT * FROM meetings ORDER BY date DESC, created_at DESC').all() as MeetingRow[];
    return rows.map((r) => this.toMeeting(r));
  }

  async addToAgenda(meetingId: string, caseId: string): Promise<void> {
    this.write(() => {
      if (!this.db.prepare('SELECT 1 FROM meetings WHERE id = ?').get(meetingId)) throw new NotFoundError(`store: no meeting "${meetingId}"`);
      const next = this.db.prepare('SELECT COALESCE(MAX(position), 0) + 1 AS p FROM agenda WHERE meeting_id = ?').get(meetingId) as { p: number };
      this.db.prepare('INSERT OR IGNORE INTO agenda (meeting_id, case_id, position) VALUES (?, ?, ?)').run(meetingId, caseId, next.p);
    });
  }

  async addDecision(d: Decision, t?: Transition): Promise<void> {
    this.write(() => {
      this.db
        .prepare(
          `INSERT INTO decisions (id, case_id, meeting_id, snapshot_id, therapy_id, followed_top, recorded_by, recorded_at, body)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(d.id, d.caseId, d.meetingId, d.snapshotId, d.therapyId, d.followedTopRank ? 1 : 0, d.recordedBy, d.recordedAt, JSON.stringify(d));
      if (t) this.applyTransition(d.caseId, t);
    });
  }

  async listDecisions(filter: { caseId?: string; meetingId?: string } = {}): Promise<Decision[]> {
    const rows = this.db
      .prepare(
        `SELECT body FROM decisions WHERE (@caseId IS NULL OR case_id = @caseId) AND (@meetingId IS NULL OR meeting_id = @meetingId)
         ORDER BY recorded_at, rowid`,
      )
      .all({ caseId: filter.caseId ?? null, meetingId: filter.meetingId ?? null }) as Array<{ body: string }>;
    return rows.map((r) => JSON.parse(r.body) as Decision);
  }

  async addFollowUp(f: FollowUp, t?: Transition): Promise<void> {
    this.write(() => {
      this.db
        .prepare('INSERT INTO follow_ups (id, case_id, decision_id, recorded_at, body) VALUES (?, ?, ?, ?, ?)')
        .run(f.id, f.caseId, f.decisionId, f.recordedAt, JSON.stringify(f));
      if (t) this.applyTransition(f.caseId, t);
    });
  }

  async listFollowUps(filter: { caseId?: string } = {}): Promise<FollowUp[]> {
    const rows = this.db
      .prepare('SELECT body FROM follow_ups WHERE (@caseId IS NULL OR case_id = @caseId) ORDER BY recorded_at, rowid')
      .all({ caseId: filter.caseId ?? null }) as Array<{ body: string }>;
    return rows.map((r) => JSON.parse(r.body) as FollowUp);
  }

  async findByAlterations(keys: readonly string[], exceptCaseId?: string): Promise<AlterationHit[]> {
    if (keys.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT DISTINCT case_id, key FROM profile_alterations
         WHERE key IN (SELECT value FROM json_each(?)) AND case_id IS NOT ?
         ORDER BY case_id, key`,
      )
      .all(JSON.stringify(keys), exceptCaseId ?? null) as Array<{ case_id: string; key: string }>;
    const byCase = new Map<string, string[]>();
    for (const r of rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r.key]);
    return [...byCase].map(([caseId, k]) => ({ caseId, keys: k }));
  }
}

export function openSqliteStore(file: string): SqliteCaseStore {
  return new SqliteCaseStore({ file });
}

/**
 * The case store: persistence of cases, profiles, ranking snapshots, meetings,
 * decisions and follow-up behind one interface, implemented by SQLite
 * (store/sqlite, the embedded default) and Neo4j (store/neo4j). Both pass the
 * same contract suite (test/contract).
 *
 * The store is dumb on purpose: the rules (which transition is allowed, whether
 * a case is on a meeting's agenda) live in server/cases. What the store
 * guarantees is atomicity: every method is one transaction, and a `transition`
 * passed along is a compare-and-set applied in that same transaction (it
 * throws ConflictError when the case is no longer in `from`, writing nothing).
 */
import type {
  CaseDetail, CaseRecord, CaseStatus, CaseSummary, CaseSummaryPage, Decision, FollowUp, Meeting, ProfileRecord, Snapshot,
} from '../domain/case.ts';
import type { Profile } from '../domain/profile.ts';
import { summaryAlterationsOf, type CaseSummaryPageQuery } from './summary-search.ts';
import type { EvidenceGraph } from '../evidence/build.ts';

export interface Transition {
  from: CaseStatus;
  to: CaseStatus;
  at: string;
}

export interface StoreInfo {
  kind: 'sqlite' | 'neo4j';
  /** File path or URI (without credentials). */
  location: string;
  schemaVersion: number;
}

export interface CaseFilter {
  status?: readonly CaseStatus[];
}

/** A summary's alterations, from the latest profile's stored JSON (null before the first profile). */
export function summaryAlterations(profileJson: string | null | undefined): CaseSummary['alterations'] {
  if (!profileJson) return [];
  return summaryAlterationsOf(JSON.parse(profileJson) as Profile);
}

export interface CaseSummaryFilter extends CaseFilter {
  /** Only these case ids (unknown ids are left out). */
  ids?: readonly string[];
}

export interface AlterationHit {
  caseId: string;
  /** The keys of the query that this case's profiles contain. */
  keys: string[];
}

export interface CaseStore {
  info(): StoreInfo;
  close(): Promise<void>;

  /** Create a case with its first profile; ConflictError when the id exists. */
  createCase(record: CaseRecord, profile: ProfileRecord): Promise<void>;
  getCase(id: string): Promise<CaseDetail | undefined>;
  listCases(filter?: CaseFilter): Promise<CaseRecord[]>;
  /**
   * Every case (or those the filter keeps) with its latest profile's alterations and the top five of its
   * latest snapshot, most recently updated first (ties by id): one read. The case list asks pageCaseSummaries.
   */
  listCaseSummaries(filter?: CaseSummaryFilter): Promise<CaseSummary[]>;
  /**
   * One page of the summaries listCaseSummaries gives, those holding every search term (store/summary-search.ts),
   * with how many hold them over all pages.
   */
  pageCaseSummaries(query: CaseSummaryPageQuery): Promise<CaseSummaryPage>;
  /** Append a profile (the next sample); its seq must be the next one. */
  addProfile(profile: ProfileRecord): Promise<void>;
  /** Compare-and-set the status. */
  setStatus(caseId: string, transition: Transition): Promise<void>;

  /** Store an immutable snapshot, optionally moving the case on in the same transaction. */
  addSnapshot(snapshot: Snapshot, transition?: Transition): Promise<void>;
  getSnapshot(id: string): Promise<Snapshot | undefined>;
  /** Newest first. */
  listSnapshots(caseId: string): Promise<Snapshot[]>;

  createMeeting(meeting: Meeting): Promise<void>;
  getMeeting(id: string): Promise<Meeting | undefined>;
  /** Newest date first. */
  listMeetings(): Promise<Meeting[]>;
  /** Append a case to the agenda (no-op when it is already there). */
  addToAgenda(meetingId: string, caseId: string): Promise<void>;

  addDecision(decision: Decision, transition?: Transition): Promise<void>;
  listDecisions(filter?: { caseId?: string; meetingId?: string }): Promise<Decision[]>;

  addFollowUp(followUp: FollowUp, transition?: Transition): Promise<void>;
  listFollowUps(filter?: { caseId?: string }): Promise<FollowUp[]>;

  /** Cases (other than `exceptCaseId`) whose profiles hold any of the keys. */
  findByAlterations(keys: readonly string[], exceptCaseId?: string): Promise<AlterationHit[]>;

  /**
   * Stores that hold the evidence graph too (Neo4j) return a profile's scoring
   * subgraph, and cases are ranked on it; otherwise the engine's in-memory graph ranks.
   */
  scoringGraph?(profile: Profile): Promise<EvidenceGraph>;
}

/**
 * The Neo4j case store and the evidence graph in Neo4j (DESIGN §6), through
 * neo4j-driver. The driver is created once and injected; every method opens a
 * session, runs one managed transaction (executeRead / executeWrite) and closes
 * the session in `finally`. Values go in as $parameters only (statements are in
 * cypher.ts), integers go in with int() and come out converted at the edge.
 */
import neo4j, { type Driver, type ManagedTransaction, type Session } from 'neo4j-driver';
import type {
  CaseDetail, CaseRecord, CaseSummary, CaseSummaryPage, Decision, FollowUp, Meeting, ProfileRecord, Snapshot,
} from '../../domain/case.ts';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import type { Profile } from '../../domain/profile.ts';
import type { EvidenceGraph } from '../../evidence/build.ts';
import { summaryAlterations, type AlterationHit, type CaseFilter, type CaseStore, type CaseSummaryFilter, type StoreInfo, type Transition } from '../types.ts';
import { CASES, CONSTRAINTS, DECISIONS, EVIDENCE, FOLLOW_UPS, MEETINGS, SCHEMA, SCHEMA_VERSION, SNAPSHOTS, TEST_ONLY, type Statement } from './cypher.ts';
import { evidenceRows, graphFromSubgraph, profileKeys, type Subgraph } from './evidence-graph.ts';
import { pageInMemory, type CaseSummaryPageQuery } from '../summary-search.ts';

/** Driver values to plain JS: Integers to numbers (ours are small), recursively. */
export function native<T = unknown>(value: unknown): T {
  if (neo4j.isInt(value)) return (value as { toNumber(): number }).toNumber() as T;
  if (Array.isArray(value)) return value.map((v) => native(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, native(v)])) as T;
  }
  return value as T;
}

export class StatementParameterError extends Error {}

/** Run one statement with exactly its declared parameters (a missing or extra one is a bug here, caught before Neo4j). */
async function run(tx: ManagedTransaction, st: Statement, params: Record<string, unknown> = {}) {
  const declared = Object.keys(st.params).sort().join(',');
  const passed = Object.keys(params).sort().join(',');
  if (declared !== passed) throw new StatementParameterError(`store/neo4j: statement takes (${declared}), was given (${passed})`);
  for (const [k, v] of Object.entries(params)) if (v === undefined) throw new StatementParameterError(`store/neo4j: parameter $${k} is undefined`);
  const res = await tx.run(st.cypher, params);
  return res.records.map((r) => native<Record<string, unknown>>(r.toObject()));
}

export interface Neo4jConfig {
  uri: string;
  user?: string;
  password?: string;
  database?: string;
}

export function createDriver(config: Neo4jConfig): Driver {
  return neo4j.driver(config.uri, neo4j.auth.basic(config.user ?? 'neo4j', config.password ?? ''), { disableLosslessIntegers: false });
}

export class Neo4jCaseStore implements CaseStore {
  private version = SCHEMA_VERSION;

  constructor(
    private readonly driver: Driver,
    private readonly options: { database?: string; location?: string; ownsDriver?: boolean } = {},
  ) {}

  private session(mode: 'READ' | 'WRITE'): Session {
    return this.driver.session({ database: this.options.database, defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE });
  }

  private async read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.session('READ');
    try {
      return await session.executeRead(work);
    } finally {
      await session.close();
    }
  }

  private async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.session('WRITE');
    try {
      return await session.executeWrite(work);
    } finally {
      await session.close();
    }
  }

  /** Constraints and the schema version; run once at open. */
  async init(): Promise<void> {
    const session = this.session('WRITE');
    try {
      for (const c of CONSTRAINTS) await session.run(c.cypher); // schema commands run outside explicit transactions
    } finally {
      await session.close();
    }
    const rows = await this.write(async (tx) => {
      const found = await run(tx, SCHEMA.readVersion);
      const current = (found[0]?.version as number | undefined) ?? 0;
      if (current > SCHEMA_VERSION) throw new Error(`store/neo4j: the database has schema version ${current}, newer than this mtbnet (${SCHEMA_VERSION})`);
      return run(tx, SCHEMA.writeVersion, { version: neo4j.int(SCHEMA_VERSION) });
    });
    this.version = rows[0]!.version as number;
  }

  info(): StoreInfo {
    return { kind: 'neo4j', location: this.options.location ?? 'neo4j', schemaVersion: this.version };
  }

  async close(): Promise<void> {
    if (this.options.ownsDriver) await this.driver.close();
  }

  private async transition(tx: ManagedTransaction, caseId: string, t: Transition): Promise<void> {
    const rows = await run(tx, CASES.transition, { caseId, from: t.from, to: t.to, at: t.at });
    if (rows.length === 1) return;
    const found = await run(tx, CASES.exists, { id: caseId });
    if (found.length === 0) throw new NotFoundError(`store: no case "${caseId}"`);
    throw new ConflictError(`store: case "${caseId}" is ${String(found[0]!.status)}, not ${t.from}`);
  }

  private profileParams(p: ProfileRecord) {
    return {
      caseId: p.caseId, key: `${p.caseId}#${p.seq}`, seq: neo4j.int(p.seq), sample: p.sample, collectedOn: p.collectedOn,
      createdAt: p.createdAt, profile: JSON.stringify(p.profile), keys: p.alterationKeys,
    };
  }

  async createCase(c: CaseRecord, profile: ProfileRecord): Promise<void> {
    await this.write(async (tx) => {
      if ((await run(tx, CASES.exists, { id: c.id })).length > 0) throw new ConflictError(`store: case "${c.id}" exists already`);
      await run(tx, CASES.create, { id: c.id, tumourType: c.tumourType, status: c.status, createdAt: c.createdAt, updatedAt: c.updatedAt });
      await run(tx, CASES.addProfile, this.profileParams(profile));
    });
  }

  async getCase(id: string): Promise<CaseDetail | undefined> {
    const rows = await this.read((tx) => run(tx, CASES.get, { id }));
    const row = rows[0];
    if (!row) return undefined;
    const c = row.caseRecord as CaseRecord;
    const profiles = (row.profiles as Array<Omit<ProfileRecord, 'profile'> & { profile: string }>).map((p) => ({
      caseId: p.caseId, seq: p.seq, sample: p.sample ?? null, collectedOn: p.collectedOn ?? null, createdAt: p.createdAt,
      profile: JSON.parse(p.profile) as Profile, alterationKeys: [...(p.alterationKeys ?? [])].sort(),
    }));
    return { id: c.id, tumourType: c.tumourType ?? null, status: c.status, createdAt: c.createdAt, updatedAt: c.updatedAt, profiles };
  }

  async listCases(filter: CaseFilter = {}): Promise<CaseRecord[]> {
    const rows = await this.read((tx) => run(tx, CASES.list, { statuses: filter.status ? [...filter.status] : null }));
    return rows.map((r) => {
      const c = r.caseRecord as CaseRecord;
      return { id: c.id, tumourType: c.tumourType ?? null, status: c.status, createdAt: c.createdAt, updatedAt: c.updatedAt };
    });
  }

  /** Searched and paged over every summary the filter keeps (the SQLite store does it in SQL). */
  async pageCaseSummaries(query: CaseSummaryPageQuery): Promise<CaseSummaryPage> {
    return pageInMemory(await this.listCaseSummaries({ status: query.status, ids: query.ids }), query);
  }

  async listCaseSummaries(filter: CaseSummaryFilter = {}): Promise<CaseSummary[]> {
    const rows = await this.read((tx) =>
      run(tx, CASES.summaries, { statuses: filter.status ? [...filter.status] : null, ids: filter.ids ? [...filter.ids] : null }),
    );
    return rows.map((r) => {
      const c = r.caseRecord as CaseRecord;
      const top = (r.latestTop as string[][])[0] ?? [];
      return {
        id: c.id, tumourType: c.tumourType ?? null, status: c.status, createdAt: c.createdAt, updatedAt: c.updatedAt,
        alterations: summaryAlterations((r.latestProfile as string[])[0]),
        top: top.slice(0, 5),
      };
    });
  }

  async addProfile(p: ProfileRecord): Promise<void> {
    await this.write(async (tx) => {
      const found = await run(tx, CASES.lastSeq, { caseId: p.caseId });
      if (found.length === 0) throw new NotFoundError(`store: no case "${p.caseId}"`);
      const last = found[0]!.last as number;
      if (p.seq !== last + 1) throw new ConflictError(`store: case "${p.caseId}" has ${last} profile(s); the next is ${last + 1}`);
      await run(tx, CASES.addProfile, this.profileParams(p));
    });
  }

  async setStatus(caseId: string, t: Transition): Promise<void> {
    await this.write((tx) => this.transition(tx, caseId, t));
  }

  async addSnapshot(s: Snapshot, t?: Transition): Promise<void> {
    await this.write(async (tx) => {
      const rows = await run(tx, SNAPSHOTS.create, {
        caseId: s.caseId, profileSeq: neo4j.int(s.profileSeq), id: s.id, createdAt: s.createdAt, kbName: s.kb.name, kbVersion: s.kb.version,
        kbHash: s.kb.hash, scoringVersion: s.scoring.version, agency: s.scoring.agency, top: s.top, result: JSON.stringify(s.result),
      });
      if (rows.length === 0) throw new NotFoundError(`store: no profile ${s.profileSeq} of case "${s.caseId}"`);
      if (t) await this.transition(tx, s.caseId, t);
    });
  }

  private toSnapshot(r: Record<string, unknown>): Snapshot {
    const s = r.snapshot as Record<string, unknown>;
    return {
      id: s.id as string, caseId: s.caseId as string, profileSeq: s.profileSeq as number, createdAt: s.createdAt as string,
      kb: { name: s.kbName as string, version: s.kbVersion as string, hash: s.kbHash as string },
      scoring: { version: s.scoringVersion as string, agency: s.agency as string },
      top: s.top as string[], result: JSON.parse(s.result as string),
    };
  }

  async getSnapshot(id: string): Promise<Snapshot | undefined> {
    const rows = await this.read((tx) => run(tx, SNAPSHOTS.get, { id }));
    return rows[0] && this.toSnapshot(rows[0]);
  }

  async listSnapshots(caseId: string): Promise<Snapshot[]> {
    return (await this.read((tx) => run(tx, SNAPSHOTS.list, { caseId }))).map((r) => this.toSnapshot(r));
  }

  async createMeeting(m: Meeting): Promise<void> {
    await this.write((tx) => run(tx, MEETINGS.create, { id: m.id, date: m.date, board: m.board, attendees: m.attendees, createdAt: m.createdAt, agenda: m.agenda }));
  }

  private toMeeting(r: Record<string, unknown>): Meeting {
    const m = r.meeting as Omit<Meeting, 'agenda'>;
    return { id: m.id, date: m.date, board: m.board, attendees: m.attendees ?? [], agenda: r.agenda as string[], createdAt: m.createdAt };
  }

  async getMeeting(id: string): Promise<Meeting | undefined> {
    const rows = await this.read((tx) => run(tx, MEETINGS.get, { id }));
    return rows[0] && this.toMeeting(rows[0]);
  }

  async listMeetings(): Promise<Meeting[]> {
    return (await this.read((tx) => run(tx, MEETINGS.list))).map((r) => this.toMeeting(r));
  }

  async addToAgenda(meetingId: string, caseId: string): Promise<void> {
    await this.write(async (tx) => {
      const rows = await run(tx, MEETINGS.addToAgenda, { meetingId, caseId });
      if (rows.length === 0) throw new NotFoundError(`store: no meeting "${meetingId}" or no case "${caseId}"`);
    });
  }

  async addDecision(d: Decision, t?: Transition): Promise<void> {
    await this.write(async (tx) => {
      const rows = await run(tx, DECISIONS.create, {
        caseId: d.caseId, meetingId: d.meetingId, id: d.id, therapyId: d.therapyId, followedTop: d.followedTopRank,
        recordedBy: d.recordedBy, recordedAt: d.recordedAt, body: JSON.stringify(d), snapshotId: d.snapshotId,
      });
      if (rows.length === 0) throw new ConflictError(`store: case "${d.caseId}" is not on the agenda of meeting ${d.meetingId}`);
      if (t) await this.transition(tx, d.caseId, t);
    });
  }

  async listDecisions(filter: { caseId?: string; meetingId?: string } = {}): Promise<Decision[]> {
    const rows = await this.read((tx) => run(tx, DECISIONS.list, { caseId: filter.caseId ?? null, meetingId: filter.meetingId ?? null }));
    return rows.map((r) => JSON.parse(r.body as string) as Decision);
  }

  async addFollowUp(f: FollowUp, t?: Transition): Promise<void> {
    await this.write(async (tx) => {
      const rows = await run(tx, FOLLOW_UPS.create, { decisionId: f.decisionId, id: f.id, caseId: f.caseId, recordedAt: f.recordedAt, body: JSON.stringify(f) });
      if (rows.length === 0) throw new NotFoundError(`store: no decision "${f.decisionId}"`);
      if (t) await this.transition(tx, f.caseId, t);
    });
  }

  async listFollowUps(filter: { caseId?: string } = {}): Promise<FollowUp[]> {
    const rows = await this.read((tx) => run(tx, FOLLOW_UPS.list, { caseId: filter.caseId ?? null }));
    return rows.map((r) => JSON.parse(r.body as string) as FollowUp);
  }

  async findByAlterations(keys: readonly string[], exceptCaseId?: string): Promise<AlterationHit[]> {
    if (keys.length === 0) return [];
    const rows = await this.read((tx) => run(tx, CASES.findByAlterations, { keys: [...keys], except: exceptCaseId ?? null }));
    return rows.map((r) => ({ caseId: r.caseId as string, keys: [...(r.keys as string[])].sort() }));
  }

  // ---- the evidence graph ----

  /** Load the evidence graph idempotently: MERGE in batches of `batch` rows, then prune what evidence/ no longer holds. */
  async loadEvidence(graph: EvidenceGraph, options: { batch?: number; now?: string } = {}): Promise<Record<string, number>> {
    const size = options.batch ?? 500;
    const rows = evidenceRows(graph);
    const batches = async (st: Statement, list: unknown[]) => {
      for (let i = 0; i < list.length; i += size) {
        const chunk = list.slice(i, i + size);
        await this.write((tx) => run(tx, st, { rows: chunk }));
      }
    };
    await this.write((tx) =>
      run(tx, EVIDENCE.knowledgeBase, { name: rows.kb.name, version: rows.kb.version, hash: rows.kb.hash, root: rows.kb.root, loadedAt: options.now ?? new Date().toISOString() }),
    );
    await batches(EVIDENCE.tumourTypes, rows.tumours);
    await batches(EVIDENCE.tumourHierarchy, rows.tumours.filter((t) => t.parent !== null).map((t) => ({ code: t.code, parent: t.parent })));
    await batches(EVIDENCE.genes, rows.genes);
    await batches(EVIDENCE.signals, rows.signals);
    await batches(EVIDENCE.drugs, rows.drugs);
    await batches(EVIDENCE.biomarkers, rows.biomarkers);
    await batches(EVIDENCE.therapies, rows.therapies);
    await batches(EVIDENCE.evidence, rows.evidence.map((e) => ({ ...e, quality: e.quality })));
    await batches(EVIDENCE.superiorTo, rows.superiorTo);
    await batches(EVIDENCE.approvals, rows.approvals.map((a) => ({ ...a, year: neo4j.int(a.year), withdrawn: a.withdrawn === null ? null : neo4j.int(a.withdrawn) })));
    await this.write(async (tx) => {
      await run(tx, EVIDENCE.pruneApprovals, { ids: rows.evidence.map((e) => e.id) });
      await run(tx, EVIDENCE.pruneEvidence, { ids: rows.evidence.map((e) => e.id) });
      await run(tx, EVIDENCE.pruneBiomarkers, { ids: rows.biomarkers.map((b) => b.id) });
      await run(tx, EVIDENCE.pruneTherapies, { ids: rows.therapies.map((t) => t.id) });
    });
    const counts = await this.read((tx) => run(tx, EVIDENCE.counts));
    return counts[0] as Record<string, number>;
  }

  scoringGraph(profile: Profile): Promise<EvidenceGraph> {
    return this.fetchScoringGraph(profile);
  }

  /** A profile's scoring subgraph, in one round trip, as a graph the scoring core ranks. */
  async fetchScoringGraph(profile: Profile): Promise<EvidenceGraph> {
    const rows = await this.read((tx) => run(tx, EVIDENCE.subgraph, { keys: profileKeys(profile) }));
    if (rows.length === 0) throw new NotFoundError('store/neo4j: no knowledge base loaded; run `mtbnet evidence load-neo4j`');
    const r = rows[0] as unknown as Subgraph;
    return graphFromSubgraph({ ...r, signals: (r.signals ?? []).filter(Boolean), items: (r.items ?? []).filter(Boolean) });
  }

  /** Contract tests only: remove every case node. */
  async wipeCasesForTests(): Promise<void> {
    await this.write((tx) => run(tx, TEST_ONLY.wipeCases));
  }
}

/** Open the store on its own driver (closed with the store), with constraints in place. */
export async function openNeo4jStore(config: Neo4jConfig): Promise<Neo4jCaseStore> {
  const driver = createDriver(config);
  await driver.verifyConnectivity({ database: config.database });
  const store = new Neo4jCaseStore(driver, { database: config.database, location: config.uri, ownsDriver: true });
  await store.init();
  return store;
}

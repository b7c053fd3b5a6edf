/**
 * Every Cypher statement of mtbnet, in one file. Each statement declares its
 * $parameters with an example value: the store passes exactly these names, and
 * the lint test (test/unit/store/cypher-lint.test.ts) hands them to
 * `lintCypherQuery` so that every statement is checked for syntax and semantic
 * errors offline. Labels and relationship types follow DESIGN §3; the case
 * aggregate adds Case, Profile, Snapshot, Meeting, Decision and FollowUp.
 * Identifiers are never built from input: only $parameters carry values.
 */

export interface Statement {
  cypher: string;
  /** Every parameter the statement reads, with an example value. */
  params: Record<string, unknown>;
}

const s = (cypher: string, params: Record<string, unknown> = {}): Statement => ({ cypher: cypher.trim(), params });

export const SCHEMA_VERSION = 1;

// ---- schema: constraints (idempotent) ----

export const CONSTRAINTS: Statement[] = [
  ['gene_symbol', 'Gene', 'symbol'],
  ['biomarker_id', 'Biomarker', 'id'],
  ['drug_name', 'Drug', 'name'],
  ['therapy_id', 'Therapy', 'id'],
  ['tumour_code', 'TumourType', 'code'],
  ['evidence_id', 'Evidence', 'id'],
  ['alteration_key', 'Alteration', 'key'],
  ['kb_singleton', 'KnowledgeBase', 'singleton'],
  ['case_id', 'Case', 'id'],
  ['profile_key', 'Profile', 'key'],
  ['snapshot_id', 'Snapshot', 'id'],
  ['meeting_id', 'Meeting', 'id'],
  ['decision_id', 'Decision', 'id'],
  ['follow_up_id', 'FollowUp', 'id'],
  ['schema_name', 'SchemaVersion', 'name'],
].map(([name, label, prop]) => s(`CREATE CONSTRAINT ${name} IF NOT EXISTS FOR (n:${label}) REQUIRE n.${prop} IS UNIQUE`));

export const SCHEMA = {
  readVersion: s(`MATCH (v:SchemaVersion {name: 'mtbnet-cases'}) RETURN v.version AS version`),
  writeVersion: s(`MERGE (v:SchemaVersion {name: 'mtbnet-cases'}) SET v.version = $version RETURN v.version AS version`, { version: 1 }),
};

// ---- the evidence graph (mtbnet evidence load-neo4j), batched with UNWIND ----

export const EVIDENCE = {
  knowledgeBase: s(
    `MERGE (kb:KnowledgeBase {singleton: true})
     SET kb.name = $name, kb.version = $version, kb.hash = $hash, kb.root = $root, kb.loadedAt = $loadedAt`,
    { name: 'mtbnet', version: '1', hash: 'sha256:0', root: 'TISSUE', loadedAt: '2025-01-01T00:00:00Z' },
  ),
  tumourTypes: s(
    `UNWIND $rows AS row
     MERGE (t:TumourType {code: row.code})
     SET t.name = row.name, t.parent = row.parent, t.attrs = row.attrs`,
    { rows: [{ code: 'LUAD', name: 'Lung Adenocarcinoma', parent: 'NSCLC', attrs: '{}' }] },
  ),
  tumourHierarchy: s(
    `UNWIND $rows AS row
     MATCH (t:TumourType {code: row.code})
     OPTIONAL MATCH (t)-[old:IS_A]->()
     DELETE old
     WITH DISTINCT t, row
     MATCH (p:TumourType {code: row.parent})
     MERGE (t)-[:IS_A]->(p)`,
    { rows: [{ code: 'LUAD', parent: 'NSCLC' }] },
  ),
  genes: s(
    `UNWIND $rows AS row
     MERGE (g:Gene {symbol: row.symbol})
     SET g.role = row.role, g.aliases = row.aliases, g.attrs = row.attrs`,
    { rows: [{ symbol: 'EGFR', role: 'oncogene', aliases: [], attrs: '{}' }] },
  ),
  signals: s(
    `UNWIND $rows AS row
     MATCH (a:Gene {symbol: row.source})
     MATCH (b:Gene {symbol: row.target})
     MERGE (a)-[r:SIGNALS_TO]->(b)
     SET r.effect = row.effect, r.attrs = row.attrs`,
    { rows: [{ source: 'KRAS', target: 'BRAF', effect: 'activates', attrs: '{}' }] },
  ),
  drugs: s(
    `UNWIND $rows AS row
     MERGE (d:Drug {name: row.name})
     SET d.synonyms = row.synonyms, d.brands = row.brands, d.class = row.class, d.targets = row.targets, d.approved = row.approved, d.attrs = row.attrs
     WITH d, row
     OPTIONAL MATCH (d)-[old:TARGETS]->()
     DELETE old
     WITH DISTINCT d, row
     UNWIND row.targets AS symbol
     MATCH (g:Gene {symbol: symbol})
     MERGE (d)-[:TARGETS]->(g)`,
    { rows: [{ name: 'osimertinib', synonyms: [], brands: [], class: 'EGFR TKI', targets: ['EGFR'], approved: ['FDA'], attrs: '{}' }] },
  ),
  biomarkers: s(
    `UNWIND $rows AS row
     MERGE (b:Biomarker {id: row.id})
     SET b.label = row.label, b.keys = row.keys, b.genes = row.genes, b.attrs = row.attrs
     WITH b, row
     UNWIND row.genes AS symbol
     MATCH (g:Gene {symbol: symbol})
     MERGE (b)-[:ABOUT_GENE]->(g)`,
    { rows: [{ id: 'EGFR L858R', label: 'EGFR L858R', keys: ['EGFR'], genes: ['EGFR'], attrs: '{}' }] },
  ),
  therapies: s(
    `UNWIND $rows AS row
     MERGE (t:Therapy {id: row.id})
     SET t.drugs = row.drugs, t.attrs = row.attrs
     WITH t, row
     UNWIND row.drugs AS name
     MATCH (d:Drug {name: name})
     MERGE (t)-[:USES]->(d)`,
    { rows: [{ id: 'osimertinib', drugs: ['osimertinib'], attrs: '{}' }] },
  ),
  evidence: s(
    `UNWIND $rows AS row
     MERGE (e:Evidence {id: row.id})
     SET e.level = row.level, e.direction = row.direction, e.statement = row.statement, e.tumour = row.tumour,
         e.quality = row.quality, e.origin = row.origin, e.unverified = row.unverified, e.file = row.file, e.attrs = row.attrs
     WITH e, row
     OPTIONAL MATCH (e)-[old:FOR_BIOMARKER|FOR_THERAPY|IN_TUMOUR|SUPERIOR_TO]->()
     DELETE old
     WITH DISTINCT e, row
     MATCH (b:Biomarker {id: row.biomarker})
     MATCH (t:Therapy {id: row.therapy})
     MATCH (tt:TumourType {code: row.tumour})
     MERGE (e)-[:FOR_BIOMARKER]->(b)
     MERGE (e)-[:FOR_THERAPY]->(t)
     MERGE (e)-[:IN_TUMOUR]->(tt)`,
    {
      rows: [{
        id: 'EGFR-1', level: 'approved', direction: 'sensitivity', statement: 's', tumour: 'NSCLC', attrs: '{}',
        quality: 1, origin: 'curated', unverified: false, file: 'genes/EGFR.yaml', biomarker: 'EGFR L858R', therapy: 'osimertinib',
      }],
    },
  ),
  /**
   * (Evidence)-[:SUPERIOR_TO]->(Therapy): the control arm an item's randomised trial beat. Property-free and
   * merged, after EVIDENCE.evidence has removed the item's old links, so a reload mirrors the files exactly.
   */
  superiorTo: s(
    `UNWIND $rows AS row
     MATCH (e:Evidence {id: row.evidence})
     MATCH (t:Therapy {id: row.therapy})
     MERGE (e)-[:SUPERIOR_TO]->(t)`,
    { rows: [{ evidence: 'EGFR-sens-osimertinib-FLAURA', therapy: 'gefitinib' }] },
  ),
  approvals: s(
    `UNWIND $rows AS row
     MATCH (d:Drug {name: row.drug})
     MATCH (t:TumourType {code: row.tumour})
     MERGE (d)-[a:APPROVED_IN {agency: row.agency, evidence: row.evidence, year: row.year}]->(t)
     SET a.withdrawn = row.withdrawn`,
    { rows: [{ drug: 'osimertinib', tumour: 'NSCLC', agency: 'FDA', evidence: 'EGFR-1', year: 2018, withdrawn: null }] },
  ),
  /** Remove what is no longer in evidence/ so that a reload mirrors the files exactly. */
  pruneEvidence: s(`MATCH (e:Evidence) WHERE NOT e.id IN $ids DETACH DELETE e`, { ids: ['EGFR-1'] }),
  pruneBiomarkers: s(`MATCH (b:Biomarker) WHERE NOT b.id IN $ids DETACH DELETE b`, { ids: ['EGFR L858R'] }),
  pruneTherapies: s(`MATCH (t:Therapy) WHERE NOT t.id IN $ids DETACH DELETE t`, { ids: ['osimertinib'] }),
  pruneApprovals: s(`MATCH (:Drug)-[a:APPROVED_IN]->(:TumourType) WHERE NOT a.evidence IN $ids DELETE a`, { ids: ['EGFR-1'] }),
  counts: s(
    `RETURN COUNT { (:Evidence) } AS evidence, COUNT { (:Biomarker) } AS biomarkers, COUNT { (:Therapy) } AS therapies,
            COUNT { (:Drug) } AS drugs, COUNT { (:Gene) } AS genes, COUNT { (:TumourType) } AS tumourTypes,
            COUNT { (:Evidence)-[:SUPERIOR_TO]->(:Therapy) } AS superiorTo`,
  ),
  /**
   * A profile's scoring subgraph in one round trip: the small backbone whole
   * (tumour hierarchy, genes, drugs, therapies, signalling) and, of the large
   * part, only the biomarkers filed under the profile's genes with their evidence (and the control arms
   * each item's randomised trial beat, as therapy ids: every therapy is in the backbone).
   */
  subgraph: s(
    `MATCH (kb:KnowledgeBase {singleton: true})
     CALL () { MATCH (t:TumourType) RETURN collect(t {.code, .name, .parent, .attrs}) AS tumours }
     CALL () { MATCH (g:Gene) RETURN collect(g {.symbol, .role, .aliases, .attrs}) AS genes }
     CALL () { MATCH (d:Drug) RETURN collect(d {.name, .synonyms, .brands, .class, .targets, .approved, .attrs}) AS drugs }
     CALL () { MATCH (t:Therapy) RETURN collect(t {.id, .drugs, .attrs}) AS therapies }
     CALL () {
       OPTIONAL MATCH (a:Gene)-[r:SIGNALS_TO]->(b:Gene)
       RETURN collect(CASE WHEN r IS NULL THEN null ELSE {source: a.symbol, target: b.symbol, effect: r.effect, attrs: r.attrs} END) AS signals
     }
     CALL () {
       OPTIONAL MATCH (b:Biomarker)<-[:FOR_BIOMARKER]-(e:Evidence)-[:FOR_THERAPY]->(t:Therapy)
       WHERE any(k IN b.keys WHERE k IN $keys)
       RETURN collect(CASE WHEN e IS NULL THEN null ELSE {
         biomarker: b {.id, .label, .keys, .genes, .attrs},
         evidence: e {.id, .level, .direction, .statement, .tumour, .quality, .origin, .unverified, .file, .attrs},
         therapy: t.id,
         superiorTo: [(e)-[:SUPERIOR_TO]->(c:Therapy) | c.id]
       } END) AS items
     }
     RETURN kb {.name, .version, .hash, .root} AS kb, tumours, genes, drugs, therapies, signals, items`,
    { keys: ['EGFR'] },
  ),
};

// ---- the case aggregate ----

export const CASES = {
  exists: s(`MATCH (c:Case {id: $id}) RETURN c.status AS status`, { id: 'MTB-1' }),
  create: s(
    `CREATE (c:Case {id: $id, tumourType: $tumourType, status: $status, createdAt: $createdAt, updatedAt: $updatedAt})`,
    { id: 'MTB-1', tumourType: 'LUAD', status: 'new', createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z' },
  ),
  addProfile: s(
    `MATCH (c:Case {id: $caseId})
     CREATE (c)-[:HAS_PROFILE]->(p:Profile {key: $key, caseId: $caseId, seq: $seq, sample: $sample, collectedOn: $collectedOn,
                                            createdAt: $createdAt, profile: $profile, alterationKeys: $keys})
     SET c.updatedAt = $createdAt
     WITH p
     UNWIND $keys AS k
     MERGE (a:Alteration {key: k})
     MERGE (p)-[:HAS_ALTERATION]->(a)`,
    {
      caseId: 'MTB-1', key: 'MTB-1#1', seq: 1, sample: null, collectedOn: null, createdAt: '2025-01-01T00:00:00Z',
      profile: '{}', keys: ['EGFR:p.L858R'],
    },
  ),
  lastSeq: s(
    `MATCH (c:Case {id: $caseId})
     OPTIONAL MATCH (c)-[:HAS_PROFILE]->(p:Profile)
     RETURN coalesce(max(p.seq), 0) AS last`,
    { caseId: 'MTB-1' },
  ),
  get: s(
    `MATCH (c:Case {id: $id})
     RETURN c {.id, .tumourType, .status, .createdAt, .updatedAt} AS caseRecord,
            COLLECT { MATCH (c)-[:HAS_PROFILE]->(p:Profile) RETURN p {.caseId, .seq, .sample, .collectedOn, .createdAt, .profile, .alterationKeys} ORDER BY p.seq } AS profiles`,
    { id: 'MTB-1' },
  ),
  list: s(
    `MATCH (c:Case)
     WHERE $statuses IS NULL OR c.status IN $statuses
     RETURN c {.id, .tumourType, .status, .createdAt, .updatedAt} AS caseRecord
     ORDER BY c.createdAt, c.id`,
    { statuses: ['new'] },
  ),
  /** The case list: each case with its latest profile and the top of its latest snapshot (as SNAPSHOTS.list orders them). */
  summaries: s(
    `MATCH (c:Case)
     WHERE ($statuses IS NULL OR c.status IN $statuses) AND ($ids IS NULL OR c.id IN $ids)
     RETURN c {.id, .tumourType, .status, .createdAt, .updatedAt} AS caseRecord,
            COLLECT { MATCH (c)-[:HAS_PROFILE]->(p:Profile) RETURN p.profile ORDER BY p.seq DESC LIMIT 1 } AS latestProfile,
            COLLECT {
              MATCH (c)-[:HAS_PROFILE]->(p:Profile) WITH p ORDER BY p.seq DESC LIMIT 1
              MATCH (p)<-[:RANKS]-(s:Snapshot) RETURN s.top ORDER BY s.createdAt DESC, s.id DESC LIMIT 1
            } AS latestTop
     ORDER BY c.updatedAt DESC, c.id`,
    { statuses: ['new'], ids: ['MTB-1'] },
  ),
  /** Compare-and-set: the first SET takes the write lock, then the status is read under it. */
  transition: s(
    `MATCH (c:Case {id: $caseId})
     SET c.lockedAt = $at
     WITH c
     WHERE c.status = $from
     SET c.status = $to, c.updatedAt = $at
     RETURN c.id AS id`,
    { caseId: 'MTB-1', from: 'new', to: 'prepared', at: '2025-01-01T00:00:00Z' },
  ),
  findByAlterations: s(
    `MATCH (c:Case)-[:HAS_PROFILE]->(:Profile)-[:HAS_ALTERATION]->(a:Alteration)
     WHERE a.key IN $keys AND ($except IS NULL OR c.id <> $except)
     WITH c.id AS caseId, collect(DISTINCT a.key) AS keys
     RETURN caseId, keys
     ORDER BY caseId`,
    { keys: ['EGFR:p.L858R'], except: 'MTB-1' },
  ),
};

export const SNAPSHOTS = {
  create: s(
    `MATCH (c:Case {id: $caseId})-[:HAS_PROFILE]->(p:Profile {seq: $profileSeq})
     CREATE (s:Snapshot {id: $id, caseId: $caseId, profileSeq: $profileSeq, createdAt: $createdAt, kbName: $kbName,
                         kbVersion: $kbVersion, kbHash: $kbHash, scoringVersion: $scoringVersion, agency: $agency,
                         top: $top, result: $result})-[:RANKS]->(p)
     RETURN s.id AS id`,
    {
      caseId: 'MTB-1', profileSeq: 1, id: 's1', createdAt: '2025-01-01T00:00:00Z', kbName: 'mtbnet', kbVersion: '1',
      kbHash: 'sha256:0', scoringVersion: '1', agency: 'FDA', top: ['osimertinib'], result: '{}',
    },
  ),
  get: s(`MATCH (s:Snapshot {id: $id}) RETURN s {.*} AS snapshot`, { id: 's1' }),
  list: s(
    `MATCH (s:Snapshot {caseId: $caseId})
     RETURN s {.*} AS snapshot
     ORDER BY s.createdAt DESC, s.id DESC`,
    { caseId: 'MTB-1' },
  ),
};

export const MEETINGS = {
  create: s(
    `CREATE (m:Meeting {id: $id, date: $date, board: $board, attendees: $attendees, createdAt: $createdAt})
     WITH m
     UNWIND range(0, size($agenda) - 1) AS i
     MATCH (c:Case {id: $agenda[i]})
     CREATE (m)-[:ON_AGENDA {position: i + 1}]->(c)`,
    { id: 'm1', date: '2025-03-04', board: 'MTB', attendees: ['AB'], createdAt: '2025-01-01T00:00:00Z', agenda: ['MTB-1'] },
  ),
  get: s(
    `MATCH (m:Meeting {id: $id})
     RETURN m {.id, .date, .board, .attendees, .createdAt} AS meeting,
            COLLECT { MATCH (m)-[r:ON_AGENDA]->(c:Case) RETURN c.id ORDER BY r.position } AS agenda`,
    { id: 'm1' },
  ),
  list: s(
    `MATCH (m:Meeting)
     RETURN m {.id, .date, .board, .attendees, .createdAt} AS meeting,
            COLLECT { MATCH (m)-[r:ON_AGENDA]->(c:Case) RETURN c.id ORDER BY r.position } AS agenda
     ORDER BY m.date DESC, m.createdAt DESC`,
  ),
  addToAgenda: s(
    `MATCH (m:Meeting {id: $meetingId})
     MATCH (c:Case {id: $caseId})
     OPTIONAL MATCH (m)-[r:ON_AGENDA]->(:Case)
     WITH m, c, coalesce(max(r.position), 0) + 1 AS next
     MERGE (m)-[a:ON_AGENDA]->(c)
     ON CREATE SET a.position = next
     RETURN a.position AS position`,
    { meetingId: 'm1', caseId: 'MTB-1' },
  ),
};

export const DECISIONS = {
  create: s(
    `MATCH (c:Case {id: $caseId})<-[:ON_AGENDA]-(m:Meeting {id: $meetingId})
     CREATE (d:Decision {id: $id, caseId: $caseId, meetingId: $meetingId, therapyId: $therapyId, followedTop: $followedTop,
                         recordedBy: $recordedBy, recordedAt: $recordedAt, body: $body})
     CREATE (d)-[:FOR_CASE]->(c)
     CREATE (d)-[:AT_MEETING]->(m)
     WITH d
     OPTIONAL MATCH (s:Snapshot {id: $snapshotId})
     FOREACH (x IN CASE WHEN s IS NULL THEN [] ELSE [s] END | CREATE (d)-[:BASED_ON]->(x))
     RETURN d.id AS id`,
    {
      caseId: 'MTB-1', meetingId: 'm1', id: 'd1', therapyId: 'afatinib', followedTop: false, recordedBy: 'local',
      recordedAt: '2025-01-01T00:00:00Z', body: '{}', snapshotId: 's1',
    },
  ),
  list: s(
    `MATCH (d:Decision)
     WHERE ($caseId IS NULL OR d.caseId = $caseId) AND ($meetingId IS NULL OR d.meetingId = $meetingId)
     RETURN d.body AS body
     ORDER BY d.recordedAt, d.id`,
    { caseId: 'MTB-1', meetingId: null },
  ),
};

export const FOLLOW_UPS = {
  create: s(
    `MATCH (d:Decision {id: $decisionId})
     CREATE (f:FollowUp {id: $id, caseId: $caseId, decisionId: $decisionId, recordedAt: $recordedAt, body: $body})-[:OF_DECISION]->(d)
     RETURN f.id AS id`,
    { decisionId: 'd1', id: 'f1', caseId: 'MTB-1', recordedAt: '2025-01-01T00:00:00Z', body: '{}' },
  ),
  list: s(
    `MATCH (f:FollowUp)
     WHERE $caseId IS NULL OR f.caseId = $caseId
     RETURN f.body AS body
     ORDER BY f.recordedAt, f.id`,
    { caseId: 'MTB-1' },
  ),
};

/** Only for the contract tests against a throwaway database. */
export const TEST_ONLY = {
  wipeCases: s(
    `MATCH (n) WHERE n:Case OR n:Profile OR n:Snapshot OR n:Meeting OR n:Decision OR n:FollowUp OR n:Alteration DETACH DELETE n`,
  ),
};

/** Every statement, named, for the lint test. */
export function allStatements(): Array<[string, Statement]> {
  const groups: Record<string, Record<string, Statement> | Statement[]> = {
    CONSTRAINTS, SCHEMA, EVIDENCE, CASES, SNAPSHOTS, MEETINGS, DECISIONS, FOLLOW_UPS, TEST_ONLY,
  };
  return Object.entries(groups).flatMap(([g, stmts]) => Object.entries(stmts).map(([n, st]) => [`${g}.${n}`, st] as [string, Statement]));
}

/**
 * The Neo4j store without a server: a stand-in driver records every statement
 * and answers from a small script. Checks that sessions are closed, reads and
 * writes use managed transactions, every statement gets exactly its declared
 * parameters (integers as driver Integers), and driver values come back as numbers.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../server/domain/errors.ts';
import { createEngine } from '../../../server/engine.ts';
import { CASES, DECISIONS, EVIDENCE, SNAPSHOTS } from '../../../server/store/neo4j/cypher.ts';
import { Neo4jCaseStore, native } from '../../../server/store/neo4j/store.ts';
import { evidenceRows, selectSubgraph } from '../../../server/store/neo4j/evidence-graph.ts';
import { caseRecord, profileRecord } from '../../contract/case-store.contract.ts';

interface Call { mode: string; cypher: string; params: Record<string, unknown> }

function fakeDriver(answer: (cypher: string, params: Record<string, unknown>) => Array<Record<string, unknown>> = () => []) {
  const calls: Call[] = [];
  let open = 0;
  const tx = (mode: string) => ({
    run: async (cypher: string, params: Record<string, unknown> = {}) => {
      calls.push({ mode, cypher, params });
      return { records: answer(cypher, params).map((r) => ({ toObject: () => r })) };
    },
  });
  const driver = {
    session: () => {
      open++;
      return {
        executeRead: async (fn: (t: unknown) => unknown) => fn(tx('read')),
        executeWrite: async (fn: (t: unknown) => unknown) => fn(tx('write')),
        run: async (cypher: string) => tx('auto').run(cypher),
        close: async () => {
          open--;
        },
      };
    },
  } as unknown as Driver;
  return { driver, calls, openSessions: () => open };
}

describe('the Neo4j store against a stand-in driver', () => {
  it('creates constraints outside transactions and records the schema version', async () => {
    const f = fakeDriver((c) => (c.includes('SchemaVersion') && c.includes('SET') ? [{ version: neo4j.int(1) }] : []));
    const store = new Neo4jCaseStore(f.driver);
    await store.init();
    expect(f.calls.filter((c) => c.mode === 'auto').every((c) => c.cypher.startsWith('CREATE CONSTRAINT'))).toBe(true);
    expect(store.info()).toMatchObject({ kind: 'neo4j', schemaVersion: 1 });
    expect(f.openSessions()).toBe(0);
  });

  it('creates a case and its profile in one write, with seq as an Integer', async () => {
    const f = fakeDriver();
    const store = new Neo4jCaseStore(f.driver);
    await store.createCase(caseRecord('C1'), profileRecord('C1', 1, ['EGFR:p.L858R']));
    expect(f.calls.map((c) => [c.mode, c.cypher])).toEqual([['write', CASES.exists.cypher], ['write', CASES.create.cypher], ['write', CASES.addProfile.cypher]]);
    expect(neo4j.isInt(f.calls[2]!.params.seq)).toBe(true);
    expect(f.openSessions()).toBe(0);
  });

  it('maps a refused compare-and-set to ConflictError, and a missing case to NotFoundError', async () => {
    const exists = fakeDriver((c) => (c === CASES.exists.cypher ? [{ status: 'decided' }] : []));
    await expect(new Neo4jCaseStore(exists.driver).setStatus('C1', { from: 'new', to: 'prepared', at: 't' })).rejects.toBeInstanceOf(ConflictError);
    const none = fakeDriver();
    await expect(new Neo4jCaseStore(none.driver).setStatus('C1', { from: 'new', to: 'prepared', at: 't' })).rejects.toBeInstanceOf(NotFoundError);
    expect(none.openSessions()).toBe(0);
  });

  it('refuses a decision the agenda does not allow (the statement matched nothing)', async () => {
    const f = fakeDriver();
    const store = new Neo4jCaseStore(f.driver);
    const d = {
      id: 'D1', caseId: 'C1', meetingId: 'M1', snapshotId: null, therapy: ['x'], therapyId: 'x', rank: null, topTherapyId: null, followedTopRank: false,
      class: null, tier: null, rationale: 'r', evidenceCited: [], alternatives: [], dissent: null, recordedBy: 'u', recordedAt: 't',
    };
    await expect(store.addDecision(d)).rejects.toBeInstanceOf(ConflictError);
    expect(f.calls[0]!.cypher).toBe(DECISIONS.create.cypher);
  });

  it('reads a case with its profiles back, seq converted and nulls restored', async () => {
    const f = fakeDriver((c) =>
      c === CASES.get.cypher
        ? [{
            caseRecord: { id: 'C1', status: 'new', createdAt: 't', updatedAt: 't' },
            profiles: [{ caseId: 'C1', seq: neo4j.int(1), createdAt: 't', profile: '{"id":"C1","alterations":[]}', alterationKeys: ['B:y', 'A:x'] }],
          }]
        : [],
    );
    const c = await new Neo4jCaseStore(f.driver).getCase('C1');
    expect(c).toEqual({
      id: 'C1', tumourType: null, status: 'new', createdAt: 't', updatedAt: 't',
      profiles: [{ caseId: 'C1', seq: 1, sample: null, collectedOn: null, createdAt: 't', profile: { id: 'C1', alterations: [] }, alterationKeys: ['A:x', 'B:y'] }],
    });
  });

  it('reads case summaries in one read: latest profile alterations, latest top (five), filters as parameters', async () => {
    const profile = JSON.stringify({ id: 'C1', alterations: [{ key: 'KRAS:p.G12D', label: 'KRAS G12D', gene: 'KRAS', kind: 'mutation' }] });
    const f = fakeDriver((c) =>
      c === CASES.summaries.cypher
        ? [
            { caseRecord: { id: 'C1', status: 'prepared', createdAt: 't', updatedAt: 'u' }, latestProfile: [profile], latestTop: [['a', 'b', 'c', 'd', 'e', 'f']] },
            { caseRecord: { id: 'C2', tumourType: 'LUAD', status: 'new', createdAt: 't', updatedAt: 't' }, latestProfile: [], latestTop: [] },
          ]
        : [],
    );
    const rows = await new Neo4jCaseStore(f.driver).listCaseSummaries({ status: ['prepared', 'new'], ids: ['C1', 'C2'] });
    expect(rows).toEqual([
      { id: 'C1', tumourType: null, status: 'prepared', createdAt: 't', updatedAt: 'u', alterations: [{ key: 'KRAS:p.G12D', label: 'KRAS G12D', gene: 'KRAS' }], top: ['a', 'b', 'c', 'd', 'e'] },
      { id: 'C2', tumourType: 'LUAD', status: 'new', createdAt: 't', updatedAt: 't', alterations: [], top: [] },
    ]);
    expect(f.calls).toEqual([{ mode: 'read', cypher: CASES.summaries.cypher, params: { statuses: ['prepared', 'new'], ids: ['C1', 'C2'] } }]);
    await new Neo4jCaseStore(f.driver).listCaseSummaries();
    expect(f.calls[1]!.params).toEqual({ statuses: null, ids: null });
    expect(f.openSessions()).toBe(0);
  });

  it('reads snapshots back with driver Integers converted', async () => {
    const result = { id: 'C1', tumourType: null, kb: { name: 'k', version: '1', hash: 'h' }, scoring: { version: '1', agency: 'FDA' }, alterations: [], therapies: [], warnings: [] };
    const f = fakeDriver((c) =>
      c === SNAPSHOTS.list.cypher
        ? [{ snapshot: { id: 'S1', caseId: 'C1', profileSeq: neo4j.int(2), createdAt: 't', kbName: 'k', kbVersion: '1', kbHash: 'h', scoringVersion: '1', agency: 'FDA', top: [], result: JSON.stringify(result) } }]
        : [],
    );
    const [s] = await new Neo4jCaseStore(f.driver).listSnapshots('C1');
    expect(s).toMatchObject({ id: 'S1', profileSeq: 2, kb: { hash: 'h' } });
    expect(native({ a: [neo4j.int(3)], b: { c: neo4j.int(4) } })).toEqual({ a: [3], b: { c: 4 } });
  });

  it('loads the evidence in batches of UNWIND rows, and prunes what the files no longer hold', async () => {
    const engine = createEngine();
    const f = fakeDriver((c) => (c === EVIDENCE.counts.cypher ? [{ evidence: neo4j.int(engine.kb.counts.evidence) }] : []));
    const counts = await new Neo4jCaseStore(f.driver).loadEvidence(engine.kb.graph, { batch: 100, now: 't' });
    expect(counts.evidence).toBe(engine.kb.counts.evidence);
    const evidenceBatches = f.calls.filter((c) => c.cypher === EVIDENCE.evidence.cypher);
    expect(evidenceBatches.length).toBe(Math.ceil(engine.kb.counts.evidence / 100));
    expect(evidenceBatches.flatMap((c) => c.params.rows as unknown[]).length).toBe(engine.kb.counts.evidence);
    expect(f.calls.some((c) => c.cypher === EVIDENCE.pruneEvidence.cypher)).toBe(true);
    // SUPERIOR_TO after the evidence statement, which removes an item's old links first.
    const order = f.calls.map((c) => c.cypher);
    const superiorTo = f.calls.filter((c) => c.cypher === EVIDENCE.superiorTo.cypher).flatMap((c) => c.params.rows as unknown[]);
    expect(superiorTo.length).toBe(engine.kb.counts.superiorTo);
    if (superiorTo.length > 0) expect(order.indexOf(EVIDENCE.superiorTo.cypher)).toBeGreaterThan(order.lastIndexOf(EVIDENCE.evidence.cypher));
    expect(f.openSessions()).toBe(0);
  });

  it('fetches the scoring subgraph in one round trip', async () => {
    const engine = createEngine();
    const rows = evidenceRows(engine.kb.graph);
    const f = fakeDriver((c, p) => (c === EVIDENCE.subgraph.cypher ? [JSON.parse(JSON.stringify(selectSubgraph(rows, p.keys as string[]))) as Record<string, unknown>] : []));
    const { profile } = engine.parse({ text: 'EGFR L858R; EGFR T790M', tumourType: 'LUAD', id: 'p' });
    const graph = await new Neo4jCaseStore(f.driver).fetchScoringGraph(profile);
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0]!.params).toEqual({ keys: ['EGFR'] });
    expect(graph.order).toBeLessThan(engine.kb.graph.order);
  });
});

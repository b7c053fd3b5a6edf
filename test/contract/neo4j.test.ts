/**
 * The CaseStore contract on Neo4j, and the evidence graph loaded into Neo4j,
 * when NEO4J_URI is set (e.g. `docker compose up neo4j`, then
 * NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=mtbnet-dev-password npx vitest run test/contract).
 * The tests wipe the case nodes of that database: point them at a throwaway one.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../server/engine.ts';
import { rankTherapies } from '../../server/scoring/index.ts';
import { openNeo4jStore } from '../../server/store/neo4j/store.ts';
import { caseStoreContract } from './case-store.contract.ts';

const uri = process.env.NEO4J_URI;
const skip = uri ? undefined : 'set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) to run the Neo4j contract tests';
const config = { uri: uri ?? '', user: process.env.NEO4J_USER, password: process.env.NEO4J_PASSWORD, database: process.env.NEO4J_DATABASE };

caseStoreContract(
  'neo4j',
  async () => {
    const store = await openNeo4jStore(config);
    await store.wipeCasesForTests();
    return store;
  },
  { skip },
);

describe.skipIf(!uri)(`the evidence graph in Neo4j${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('loads evidence/ idempotently and ranks a profile from its fetched subgraph as in memory', async () => {
    const engine = createEngine();
    const store = await openNeo4jStore(config);
    try {
      const first = await store.loadEvidence(engine.kb.graph);
      const second = await store.loadEvidence(engine.kb.graph);
      expect(second).toEqual(first);
      expect(first.evidence).toBe(engine.kb.counts.evidence);
      expect(first.superiorTo).toBe(engine.kb.counts.superiorTo);
      // BRAF V600E in melanoma: randomised comparisons (coBRIM, COLUMBUS, COMBI-d/v) lift through SUPERIOR_TO.
      for (const [text, tumourType] of [['EGFR L858R; EGFR T790M', 'LUAD'], ['BRAF V600E; MSI-H', 'COADREAD'], ['BRAF V600E', 'MEL']] as const) {
        const { profile } = engine.parse({ text, tumourType, id: 'p' });
        const graph = await store.fetchScoringGraph(profile);
        expect(rankTherapies(graph, profile)).toEqual(engine.rank(profile));
      }
    } finally {
      await store.close();
    }
  });
});

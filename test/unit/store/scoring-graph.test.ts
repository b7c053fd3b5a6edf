/**
 * A store that holds the evidence graph (Neo4j) ranks cases on the subgraph it
 * fetches; here a SQLite store stands in, serving subgraphs selected from rows
 * the way EVIDENCE.subgraph selects them. The snapshot is the same as ranking
 * on the engine's in-memory graph.
 */
import { describe, expect, it } from 'vitest';
import { caseContext, createCase, rankCase } from '../../../server/cases/index.ts';
import { createEngine } from '../../../server/engine.ts';
import type { Profile } from '../../../server/domain/profile.ts';
import { SqliteCaseStore } from '../../../server/store/sqlite/store.ts';
import { evidenceRows, graphFromSubgraph, profileKeys, selectSubgraph } from '../../../server/store/neo4j/evidence-graph.ts';

describe('ranking a case on a store-provided subgraph', () => {
  it('gives the same snapshot as the in-memory graph, and asks the store once per ranking', async () => {
    const engine = createEngine();
    const rows = evidenceRows(engine.kb.graph);
    let fetched = 0;
    const store = Object.assign(new SqliteCaseStore({ file: ':memory:' }), {
      scoringGraph: async (profile: Profile) => {
        fetched++;
        return graphFromSubgraph(JSON.parse(JSON.stringify(selectSubgraph(rows, profileKeys(profile)))));
      },
    });
    const ctx = caseContext(store, engine);
    await createCase(ctx, { id: 'SG-1', tumourType: 'COADREAD', profile: { text: 'KRAS G12D; BRAF V600E; MSI-H' } });
    const snapshot = await rankCase(ctx, 'SG-1');
    expect(fetched).toBe(1);
    const { profile } = engine.parse({ text: 'KRAS G12D; BRAF V600E; MSI-H', tumourType: 'COADREAD', id: 'SG-1' });
    expect(snapshot.result).toEqual(engine.rank(profile));
    await store.close();
  });
});

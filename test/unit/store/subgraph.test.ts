/**
 * The Neo4j scoring path without a Neo4j server: the rows load-neo4j writes,
 * narrowed to a profile's subgraph the way EVIDENCE.subgraph selects it, rebuild
 * a graph that the scoring core ranks exactly as it ranks the full graph.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../server/engine.ts';
import { evidenceRows, graphFromSubgraph, profileKeys, selectSubgraph } from '../../../server/store/neo4j/evidence-graph.ts';
import { rankTherapies } from '../../../server/scoring/index.ts';

const engine = createEngine();
const rows = evidenceRows(engine.kb.graph);

describe('the scoring subgraph of a profile', () => {
  it('writes every evidence item, biomarker and therapy as a row, with its links', () => {
    expect(rows.evidence.length).toBe(engine.kb.counts.evidence);
    expect(rows.biomarkers.length).toBe(engine.kb.counts.biomarkers);
    expect(rows.evidence.every((e) => e.biomarker && e.therapy)).toBe(true);
    expect(rows.biomarkers.every((b) => b.keys.length > 0)).toBe(true);
  });

  it('writes every randomised comparison (SUPERIOR_TO) as a row, and a subgraph carries them with its items', () => {
    expect(rows.superiorTo.length).toBe(engine.kb.counts.superiorTo);
    const ids = new Set(rows.evidence.map((e) => e.id));
    const therapies = new Set(rows.therapies.map((t) => t.id));
    expect(rows.superiorTo.every((r) => ids.has(r.evidence) && therapies.has(r.therapy))).toBe(true);
    const { profile } = engine.parse({ text: 'BRAF V600E', tumourType: 'MEL', id: 'p' });
    const graph = graphFromSubgraph(JSON.parse(JSON.stringify(selectSubgraph(rows, profileKeys(profile)))));
    const edges = (g: typeof graph) => g.filterEdges((_e, a) => a.type === 'SUPERIOR_TO').map((e) => `${g.source(e)} -> ${g.target(e)}`).sort();
    const braf = edges(engine.kb.graph).filter((e) => e.startsWith('evidence:BRAF'));
    expect(braf.length).toBeGreaterThan(0);
    expect(edges(graph)).toEqual(expect.arrayContaining(braf));
  });

  it.each([
    ['EGFR L858R; EGFR T790M', 'LUAD'],
    ['KRAS G12D; PIK3CA H1047R', 'COADREAD'],
    ['BRAF V600E; MSI-H; TMB 14.2', 'COADREAD'],
    ['EML4::ALK; TP53 R273H', 'LUAD'],
    ['ERBB2 amplification; CDKN2A deletion', 'BRCA'],
    ['NF1 deletion; BRCA2 deletion; MET amplification', 'OV'],
    ['BRAF V600E', 'MEL'],
    ['BCR::ABL1', 'CML'],
    ['EML4::ALK', 'NSCLC'],
    // Resistance evidence that stops inference to a drug class (score-therapies.ts): the classes come with the subgraph.
    ['BRAF V600E; MAP2K1 C121S', 'MEL'],
    ['EML4::ALK; ALK G1202R', 'LUAD'],
  ])('%s in %s ranks the same on the subgraph as on the whole graph', (text, tumourType) => {
    const { profile } = engine.parse({ text, tumourType, id: 'p' });
    const sub = selectSubgraph(rows, profileKeys(profile));
    expect(sub.items.length).toBeLessThan(rows.evidence.length);
    const graph = graphFromSubgraph(JSON.parse(JSON.stringify(sub))); // as if it came over the wire
    expect(rankTherapies(graph, profile)).toEqual(rankTherapies(engine.kb.graph, profile));
  });
});

/**
 * A synthetic ranking whose whole-profile explanation has about `nodes` nodes,
 * for the network benchmark and the layout tests: alterations -> biomarkers ->
 * evidence -> therapies, plus inferred alteration -> gene -> drug -> therapy
 * paths. Seeded, so every run draws the same network.
 */
import type { RankResult, RankedTherapy, EvidenceContribution } from '../../../server/domain/result.ts';

function lcg(seed: number) {
  let s = seed >>> 0 || 1;
  return () => ((s = (1664525 * s + 1013904223) >>> 0) / 4294967296);
}

export function syntheticRanking(nodes = 1000, seed = 42): RankResult {
  const rnd = lcg(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const A = Math.max(2, Math.round(nodes * 0.01));
  const B = Math.max(2, Math.round(nodes * 0.05));
  const T = Math.max(2, Math.round(nodes * 0.14));
  const G = Math.max(1, Math.round(nodes * 0.02));
  const D = Math.max(1, Math.round(T * 0.55));
  const E = Math.max(1, nodes - A - B - T - G - D);
  const alterations = Array.from({ length: A }, (_, i) => ({
    key: `GENE${i}:p.V${600 + i}E`,
    label: `GENE${i} V${600 + i}E`,
    kind: 'mutation',
    gene: `GENE${i}`,
    driver: (['oncogenic', 'likely', 'unknown'] as const)[i % 3]!,
    matched: [] as string[],
  }));
  const biomarkers = Array.from({ length: B }, (_, i) => `GENE${i % A} category ${i}`);
  const genes = Array.from({ length: G }, (_, i) => `PATH${i}`);
  const therapies: RankedTherapy[] = Array.from({ length: T }, (_, i) => ({
    id: `drug${i}`,
    drugs: [`drug${i}`],
    score: 0,
    positive: 0,
    negative: 0,
    class: (['on-label', 'off-label', 'investigational', 'not-recommended'] as const)[i % 4]!,
    tier: 'III-A',
    oncokb: null,
    alterations: [],
    evidence: [],
  }));
  const item = (id: string, path: string[], alteration: string, contribution: number, inference?: EvidenceContribution['inference']): EvidenceContribution => ({
    id,
    level: inference ? 'inferential' : pick(['approved', 'phase3', 'phase2', 'preclinical'] as const),
    direction: contribution < 0 ? 'resistance' : 'sensitivity',
    biomarker: path[1]!.slice(path[1]!.indexOf(':') + 1),
    alterations: [alteration],
    tumour: 'LUAD',
    variantMatch: 'exact',
    tumourMatch: 'same',
    driver: 'oncogenic',
    factors: { sign: Math.sign(contribution) || 1, level: 1, variantMatch: 1, tumourMatch: 1, driver: 1, quality: 1, diminishing: 1 },
    contribution,
    ...(inference ? { inference } : {}),
    statement: `Synthetic statement ${id}.`,
    sources: inference ? [] : [{ pmid: String(10000000 + Math.floor(rnd() * 9000000)) }],
    origin: inference ? 'inferred' : 'synthetic',
  });
  for (let e = 0; e < E; e++) {
    const t = therapies[e < T ? e : Math.floor(rnd() * T)]!;
    const b = e < B ? e : Math.floor(rnd() * B);
    const a = alterations[b % A]!;
    const c = Math.round((rnd() < 0.15 ? -1 : 1) * (5 + rnd() * 95) * 100) / 100;
    t.evidence.push(item(`ev-${e}`, [`alteration:${a.key}`, `biomarker:${biomarkers[b]}`, `evidence:ev-${e}`, `therapy:${t.id}`], a.key, c));
  }
  for (let d = 0; d < D; d++) {
    const t = therapies[d]!;
    const a = pick(alterations);
    const g = genes[d % G]!;
    t.evidence.push(item(`inferred:${d}`, [`alteration:${a.key}`, `gene:${g}`, `drug:${t.id}`, `therapy:${t.id}`], a.key, 1.7, { kind: 'pathway', genes: [g], hops: 1 }));
  }
  for (const t of therapies) {
    t.positive = t.evidence.filter((e) => e.contribution > 0).reduce((s, e) => s + e.contribution, 0);
    t.negative = t.evidence.filter((e) => e.contribution < 0).reduce((s, e) => s + e.contribution, 0);
    t.score = t.positive + t.negative;
    t.alterations = [...new Set(t.evidence.flatMap((e) => e.alterations))];
  }
  therapies.sort((x, y) => y.score - x.score);
  return {
    id: `synthetic-${nodes}`,
    tumourType: 'LUAD',
    kb: { name: 'synthetic', version: '0', hash: 'sha256:synthetic' },
    scoring: { version: '2', agency: 'FDA' },
    alterations,
    therapies,
    warnings: [],
  };
}

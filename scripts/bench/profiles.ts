/**
 * Realistic benchmark profiles drawn from a knowledge base: actionable
 * variants that evidence names, variants of unknown significance in known
 * genes, and alterations in genes the knowledge base does not know.
 */
import type { EvidenceGraph } from '../../server/evidence/build.ts';
import { positiveAtoms } from '../../server/domain/criteria.ts';
import { normaliseProfile, type Profile } from '../../server/domain/profile.ts';
import { lcg, pick } from './lcg.ts';

const AA = 'ACDEFGHIKLMNPQRSTVWY';

/** What profiles are drawn from, per knowledge base: read once (a benchmark draws thousands of profiles). */
const draws = new WeakMap<EvidenceGraph, { actionable: unknown[]; genes: string[] }>();
function drawsOf(graph: EvidenceGraph): { actionable: unknown[]; genes: string[] } {
  let d = draws.get(graph);
  if (d) return d;
  const actionable: unknown[] = [];
  const genes: string[] = [];
  graph.forEachNode((_k, a) => {
    if (a.type === 'gene') genes.push(a.symbol);
    if (a.type !== 'biomarker') return;
    for (const atom of positiveAtoms(a.criteria)) {
      if (atom.type === 'change') actionable.push({ gene: atom.gene, kind: 'mutation', change: atom.change.canonical });
      else if (atom.type === 'amplification') actionable.push({ gene: atom.gene, kind: 'amplification' });
      else if (atom.type === 'fusion') actionable.push({ gene: atom.gene, kind: 'fusion', partner: atom.partner });
    }
  });
  draws.set(graph, (d = { actionable, genes }));
  return d;
}

export function benchProfile(graph: EvidenceGraph, size: number, seed = 1, tumourType = 'LUAD'): Profile {
  const rand = lcg(seed);
  const { actionable, genes } = drawsOf(graph);
  const alterations: unknown[] = [];
  for (let i = 0; i < size; i++) {
    const r = rand();
    if (r < 0.35 && actionable.length > 0) alterations.push(pick(rand, actionable));
    else if (r < 0.8) alterations.push({ gene: pick(rand, genes), kind: 'mutation', change: `${pick(rand, AA)}${1 + Math.floor(rand() * 1200)}${pick(rand, AA)}` });
    else alterations.push({ gene: `UNKNOWN${Math.floor(rand() * 1000)}`, kind: 'mutation', change: `${pick(rand, AA)}${1 + Math.floor(rand() * 500)}*` });
  }
  // Distinct keys up to `size`: top up with numbered VUS when draws collide.
  let profile = normaliseProfile({ id: `bench-${size}`, tumourType, alterations });
  let k = 0;
  while (profile.alterations.length < size) {
    alterations.push({ gene: pick(rand, genes), kind: 'mutation', change: `A${2000 + k++}V` });
    profile = normaliseProfile({ id: `bench-${size}`, tumourType, alterations });
  }
  return profile;
}

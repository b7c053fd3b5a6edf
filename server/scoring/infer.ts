/**
 * Inference beyond direct evidence (DESIGN §4), clearly labelled as such:
 * - target-based: a drug that targets an activated oncogene of the profile;
 * - pathway-based: a drug that targets a gene downstream of an activated
 *   oncogene or of a lost tumour suppressor, along the shortest path in the
 *   curated signalling graph (graphology-shortest-path), decaying with each hop.
 * Only from alterations that are oncogenic or likely oncogenic (never from a
 * VUS), never for mutant-selective drugs, at most one inferred item per
 * therapy (the strongest), and always at the `inferential` level, the weakest
 * there is. Inference does not depend on the evidence items, and is added to a
 * therapy's direct evidence rather than replacing it: so adding sensitivity
 * evidence can never lower a score, nor resistance evidence raise one.
 */
import { singleSource } from 'graphology-shortest-path/unweighted.js';
import type { Alteration } from '../domain/alteration.ts';
import { expressionMeets } from '../domain/criteria.ts';
import { TRUNCATING } from '../domain/protein.ts';
import type { DriverClass, EvidenceContribution } from '../domain/result.ts';
import type { TherapyNode } from '../domain/knowledge.ts';
import type { ScoringOptions } from './defaults.ts';
import type { GraphIndex } from './prepare.ts';
import { contributionPool, freezeContribution, keyOf, type ContributionPool } from './intern.ts';

export interface InferredEvidence {
  therapy: TherapyNode;
  contribution: EvidenceContribution;
}

type State = 'active' | 'lost';

/** What an alteration does to its gene: activates an oncogene, inactivates a tumour suppressor, or neither. */
export function alterationEffect(index: GraphIndex, a: Alteration, driver: DriverClass): Array<{ gene: string; state: State }> {
  if (driver === 'unknown' || a.kind === 'signature') return [];
  const out: Array<{ gene: string; state: State }> = [];
  const genes = a.kind === 'fusion' && a.partner ? [a.gene, a.partner] : [a.gene];
  for (const symbol of genes) {
    const g = index.genes.get(symbol);
    if (!g) continue;
    const onc = g.role === 'oncogene' || g.role === 'both';
    const tsg = g.role === 'tsg' || g.role === 'both';
    const truncating = a.kind === 'mutation' && a.protein !== undefined && TRUNCATING.has(a.protein.type);
    if (onc && (a.kind === 'amplification' || a.kind === 'fusion' || (a.kind === 'expression' && expressionMeets('high', a.value)) || (a.kind === 'mutation' && !truncating))) {
      out.push({ gene: symbol, state: 'active' });
    } else if (tsg && (a.kind === 'deletion' || a.kind === 'mutation')) {
      out.push({ gene: symbol, state: 'lost' });
    }
  }
  return out;
}

export function inferTherapies(
  index: GraphIndex,
  alterations: readonly Alteration[],
  driverOf: (a: Alteration) => DriverClass,
  options: ScoringOptions,
): InferredEvidence[] {
  const { inference } = options;
  if (!inference.target && !inference.pathway) return [];
  const pool = contributionPool(index, options);
  const best = new Map<string, InferredEvidence>();
  for (const a of alterations) {
    const driver = driverOf(a);
    // Nothing is inferred from a variant of unknown significance or a signature (alterationEffect): most of a
    // cohort's alterations, each seen once, so neither a key nor a pool entry is made for them.
    if (driver === 'unknown' || a.kind === 'signature') continue;
    // What one alteration infers depends only on it, its driver class, the knowledge base and the options: built
    // once per pool (a cohort repeats the same drivers thousands of times), then merged with the others' by strength.
    for (const inf of pool.derived(inferenceKeyOf(a, driver)!, () => inferFrom(index, a, driver, options, pool))) offer(best, inf);
  }
  return [...best.values()].sort((x, y) => (x.therapy.id < y.therapy.id ? -1 : 1));
}

/**
 * All that what an alteration infers depends on (with its pool's knowledge base and options), as a key; undefined
 * when it infers nothing (a variant of unknown significance or a signature).
 */
export function inferenceKeyOf(a: Alteration, driver: DriverClass): string | undefined {
  if (driver === 'unknown' || a.kind === 'signature') return undefined;
  return keyOf('inferred', a.key, a.label, driver, a.kind, a.gene, a.partner ?? '', a.protein?.type ?? '', a.value ?? '');
}

/**
 * Keep the strongest inference per drug; on equal strength the smallest id, so neither the order of alterations
 * nor of offers ever matters (the same rule within one alteration and across them).
 */
function offer(best: Map<string, InferredEvidence>, inf: InferredEvidence): void {
  const prev = best.get(inf.therapy.id);
  if (prev) {
    const p = prev.contribution;
    const c = inf.contribution;
    if (p.contribution > c.contribution || (p.contribution === c.contribution && p.id <= c.id)) return;
  }
  best.set(inf.therapy.id, inf);
}

/**
 * What one inferred item of a plan holds: everything but the alteration it is inferred from, which only names it
 * (the id, the alterations list and the statement). Frozen, and shared by every contribution made from it.
 */
interface PlannedInference {
  therapy: TherapyNode;
  drug: string;
  kind: 'target' | 'pathway';
  value: number;
  biomarker: string;
  factors: EvidenceContribution['factors'];
  inference: NonNullable<EvidenceContribution['inference']>;
  sources: EvidenceContribution['sources'];
  /** The statement is `${before}${alteration label}${after}`. */
  before: string;
  after: string;
}

/**
 * The inferences of an alteration's effects (alterationEffect) at its driver class, strongest per drug: a function
 * of the effects, the driver class, the knowledge base and the options, so built once per pool for every alteration
 * with the same effects (a cohort's truncating variants of one suppressor, each seen once, share one plan).
 * Which item wins a tie is decided as for one alteration's own ids (`inferred:<kind>:<key>:<drug>`, smallest
 * first): within one alteration and drug those differ in their kind alone, so the kind decides, whatever the key.
 */
function inferencePlan(
  index: GraphIndex,
  effects: ReadonlyArray<{ gene: string; state: State }>,
  driver: DriverClass,
  options: ScoringOptions,
): readonly PlannedInference[] {
  const { inference, weights: w } = options;
  const best = new Map<string, PlannedInference>();
  const candidate = (drug: string, genes: string[], kind: 'target' | 'pathway', sources: string[]) => {
    const hops = genes.length - 1;
    const pathway = inference.pathwayDecay ** hops;
    const value = Math.round(w.level.inferential * w.variantMatch.gene * w.tumourMatch['pan-cancer'] * w.driver[driver] * pathway * 1000) / 1000;
    const prev = best.get(drug);
    // Most candidates lose to a stronger one already held: decide before building anything.
    if (prev && prev.value > value) return;
    if (prev && prev.value === value && prev.kind <= kind) return;
    const target = genes[genes.length - 1]!;
    const frozenGenes = Object.freeze([...genes]) as string[];
    best.set(
      drug,
      Object.freeze({
        therapy: Object.freeze({ type: 'therapy', id: drug, drugs: Object.freeze([drug]) as string[] }) as TherapyNode,
        drug,
        kind,
        value,
        biomarker: `${genes[0]} ${kind === 'target' ? 'activation' : 'pathway activation'} (inferred)`,
        factors: Object.freeze({
          sign: 1,
          level: w.level.inferential,
          variantMatch: w.variantMatch.gene,
          tumourMatch: w.tumourMatch['pan-cancer'],
          driver: w.driver[driver],
          quality: 1,
          diminishing: 1,
          pathway,
        }),
        inference: Object.freeze({ kind, genes: frozenGenes, hops }),
        sources: Object.freeze([...new Set(sources)].map((url) => Object.freeze({ url }))) as EvidenceContribution['sources'],
        ...(kind === 'target'
          ? { before: `Inferred: ${drug} targets ${target}, which `, after: ' activates.' }
          : {
              before: 'Inferred: ',
              after: ` ${genes.length > 1 ? `signals through ${genes.slice(1, -1).join(' -> ') || 'directly'} to ` : ''}${target}, which ${drug} targets (${hops} step${hops === 1 ? '' : 's'} in the curated signalling graph).`,
            }),
      }),
    );
  };

  for (const { gene, state } of effects) {
    if (inference.target && state === 'active') {
      for (const drug of index.drugsByTarget.get(gene) ?? []) candidate(drug, [gene], 'target', []);
    }
    if (!inference.pathway) continue;
    for (const r of reachable(index, gene, state, inference.maxHops)) {
      for (const drug of index.drugsByTarget.get(r.genes[r.genes.length - 1]!) ?? []) candidate(drug, r.genes, 'pathway', r.sources);
    }
  }
  // Pushed, not mapped: every list rankings iterate then has one elements kind (see rank.ts).
  const out: PlannedInference[] = [];
  for (const p of best.values()) out.push(p);
  return Object.freeze(out);
}

/** The inferred therapies of one alteration, strongest per drug, frozen: shared by every ranking of the pool. */
function inferFrom(index: GraphIndex, a: Alteration, driver: DriverClass, options: ScoringOptions, pool: ContributionPool): readonly InferredEvidence[] {
  const effects = alterationEffect(index, a, driver);
  if (effects.length === 0) return NO_INFERENCES;
  let effectsKey = '';
  for (let i = 0; i < effects.length; i++) effectsKey += `\u0000${effects[i]!.gene}\u0000${effects[i]!.state}`;
  const plan = pool.derived(keyOf('plan', driver, effectsKey), () => inferencePlan(index, effects, driver, options));
  const out: InferredEvidence[] = [];
  for (let i = 0; i < plan.length; i++) {
    const p = plan[i]!;
    const contribution = freezeContribution({
      id: `inferred:${p.kind}:${a.key}:${p.drug}`,
      level: 'inferential',
      direction: 'sensitivity',
      biomarker: p.biomarker,
      alterations: [a.key],
      tumour: index.info.root,
      variantMatch: 'gene',
      tumourMatch: 'pan-cancer',
      driver,
      factors: p.factors,
      contribution: p.value,
      inference: p.inference,
      statement: p.before + a.label + p.after,
      sources: p.sources,
      origin: 'inferred',
    });
    out.push(Object.freeze({ therapy: p.therapy, contribution }));
  }
  return Object.freeze(out);
}
const NO_INFERENCES: readonly InferredEvidence[] = Object.freeze([]);

interface Reach {
  genes: string[];
  sources: string[];
}
const reachCache = new WeakMap<GraphIndex, Map<string, Reach[]>>();

/**
 * Genes that an activated gene (or a lost suppressor) activates downstream:
 * shortest signalling paths from it (graphology-shortest-path), kept when the
 * number of inhibiting steps has the right parity. Cached per knowledge base.
 */
export function reachable(index: GraphIndex, gene: string, state: State, maxHops: number): Reach[] {
  let cache = reachCache.get(index);
  if (!cache) reachCache.set(index, (cache = new Map()));
  const key = `${gene}\u0000${state}\u0000${maxHops}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out: Reach[] = [];
  if (index.signalling.hasNode(gene)) {
    const paths = singleSource(index.signalling, gene);
    for (const to of Object.keys(paths).sort()) {
      const path = paths[to]!;
      const hops = path.length - 1;
      if (hops < 1 || hops > maxHops) continue;
      let inhibits = 0;
      const sources: string[] = [];
      for (let i = 0; i < hops; i++) {
        const attrs = index.signalling.getEdgeAttributes(path[i], path[i + 1]);
        if (attrs.effect === 'inhibits') inhibits++;
        if (attrs.source) sources.push(attrs.source);
      }
      // An activated gene activates what it reaches through an even number of inhibitions; a lost suppressor, an odd number.
      if (state === 'active' ? inhibits % 2 === 0 : inhibits % 2 === 1) out.push({ genes: path, sources });
    }
  }
  cache.set(key, out);
  return out;
}

/**
 * Match a profile's alterations against biomarker criteria (DESIGN §3-4):
 * atoms against single alterations, compounds (ALL / ANY / NOT) against the
 * whole profile. Each met atom says how well it matched (exact, position,
 * category, gene level); a compound keeps the alterations that met it.
 */
import type { Alteration } from '../domain/alteration.ts';
import { atomHow, expressionMeets, type Atom, type Criteria } from '../domain/criteria.ts';
import type { BiomarkerNode, GeneNode } from '../domain/knowledge.ts';
import { TRUNCATING } from '../domain/protein.ts';
import type { DriverClass, VariantMatch } from '../domain/result.ts';
import { atomIndexKey, atomIndexKeys, type GraphIndex } from './prepare.ts';

export class MatchError extends Error {
  constructor(message: string) {
    super(`scoring/match: ${message}`);
    this.name = 'MatchError';
  }
}

export interface MatchContext {
  genes: Map<string, GeneNode>;
  /** Driver class of an alteration; `activating` atoms need it. */
  driverOf: (alteration: Alteration) => DriverClass;
  /**
   * The profile's alterations by gene (fusions under both partners, signatures under MSI/MMR/TMB/HRD),
   * so an atom looks only at its own gene's alterations: matching stays linear in the profile size.
   */
  byGene?: Map<string, Alteration[]>;
}

/** Index alterations by the genes an atom may ask for. */
export function alterationsByGene(alterations: readonly Alteration[]): Map<string, Alteration[]> {
  const map = new Map<string, Alteration[]>();
  const add = (k: string, a: Alteration) => {
    const list = map.get(k);
    if (list) list.push(a);
    else map.set(k, [a]);
  };
  for (const a of alterations) {
    add(a.gene, a);
    if (a.kind === 'fusion' && a.partner && a.partner !== a.gene) add(a.partner, a);
  }
  return map;
}

const NONE: readonly Alteration[] = [];
function candidates(atom: Atom, alterations: readonly Alteration[], ctx: MatchContext): readonly Alteration[] {
  const byGene = ctx.byGene;
  if (!byGene) return alterations;
  // Most atoms are filed under one gene: looked up without building its list of one.
  const one = atomIndexKey(atom);
  if (one !== undefined) return byGene.get(one) ?? NONE;
  const keys = atomIndexKeys(atom);
  const out: Alteration[] = [];
  for (const k of keys) for (const a of byGene.get(k) ?? NONE) if (!out.includes(a)) out.push(a);
  return out;
}

/** Each gene's exon ranges as [exon, from, to], in the order Object.entries lists them (ascending exon numbers). */
const exonRanges = new WeakMap<GeneNode, ReadonlyArray<readonly [number, number, number]>>();
function rangesOf(gene: GeneNode): ReadonlyArray<readonly [number, number, number]> {
  let ranges = exonRanges.get(gene);
  if (ranges === undefined) {
    ranges = Object.entries(gene.exons).map(([exon, [from, to]]) => [Number(exon), from, to] as const);
    exonRanges.set(gene, ranges);
  }
  return ranges;
}

function exonOf(a: Alteration, gene: GeneNode | undefined): number | undefined {
  if (a.exon !== undefined) return a.exon;
  if (a.protein?.exon !== undefined) return a.protein.exon;
  const pos = a.protein?.pos;
  if (pos === undefined || !gene) return undefined;
  const ranges = rangesOf(gene);
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    if (pos >= r[1] && pos <= r[2]) return r[0];
  }
  return undefined;
}

/** Net residues removed (> 0) or added (< 0) by a delins. */
function delinsBalance(a: Alteration): number {
  const p = a.protein!;
  return p.pos === undefined ? 0 : (p.endPos ?? p.pos) - p.pos + 1 - (p.alt?.length ?? 0);
}
// A delins that removes more residues than it inserts (EGFR L747_P753delinsS) is an in-frame deletion.
const isDeletion = (a: Alteration) => a.protein!.type === 'deletion' || (a.protein!.type === 'delins' && delinsBalance(a) > 0);
const isInsertion = (a: Alteration) =>
  a.protein!.type === 'insertion' || a.protein!.type === 'duplication' || (a.protein!.type === 'delins' && delinsBalance(a) < 0);

/** Does one alteration meet one atom? */
export function matchAtom(atom: Atom, a: Alteration, ctx: MatchContext): boolean {
  switch (atom.type) {
    case 'msi-high':
    case 'mmr-deficient':
      return a.kind === 'signature' && ((a.gene === 'MSI' && a.value === 'high') || (a.gene === 'MMR' && a.value === 'deficient'));
    case 'tmb':
      return a.kind === 'signature' && a.gene === 'TMB' && (typeof a.value === 'number' ? a.value >= atom.min : a.value === 'high' && atom.min <= 10);
    case 'hrd':
      return a.kind === 'signature' && a.gene === 'HRD' && a.value === 'positive';
    case 'fusion': {
      if (a.kind !== 'fusion') return false;
      if (a.gene === atom.gene) return atom.partner === undefined || a.partner === atom.partner;
      if (a.partner === atom.gene) return atom.partner === undefined || a.gene === atom.partner;
      return false;
    }
    default:
      break;
  }
  if (a.gene !== atom.gene) return false;
  switch (atom.type) {
    case 'amplification':
      return a.kind === 'amplification';
    case 'deletion':
      return a.kind === 'deletion';
    case 'expression':
      return a.kind === 'expression' && expressionMeets(atom.level, a.value);
    case 'methylation':
      return a.kind === 'methylation' && a.value === 'methylated';
    default:
      break;
  }
  if (a.kind !== 'mutation' || !a.protein || a.protein.type === 'synonymous') {
    // loss of function is also met by a deletion of the gene
    return atom.type === 'lof' && a.kind === 'deletion';
  }
  const p = a.protein;
  switch (atom.type) {
    case 'change':
      return p.canonical === atom.change.canonical;
    case 'position':
      return p.pos === atom.pos && (p.ref === undefined || p.ref === atom.ref);
    case 'exon': {
      if (exonOf(a, ctx.genes.get(a.gene)) !== atom.exon) return false;
      if (atom.variant === 'deletion') return isDeletion(a);
      if (atom.variant === 'insertion') return isInsertion(a);
      return true;
    }
    case 'domain': {
      // An ITD without residues lies in the domain its gene file names for ITDs.
      if (p.itd) return ctx.genes.get(a.gene)?.itd === atom.domain;
      const range = ctx.genes.get(a.gene)?.domains[atom.domain];
      return range !== undefined && p.pos !== undefined && p.pos >= range[0] && p.pos <= range[1] && !TRUNCATING.has(p.type);
    }
    case 'activating':
      return ctx.driverOf(a) !== 'unknown' && !TRUNCATING.has(p.type);
    case 'lof':
      return TRUNCATING.has(p.type) || ctx.driverOf(a) !== 'unknown';
    case 'any-mutation':
      return true;
  }
}

export interface Hit {
  alteration: Alteration;
  how: VariantMatch;
}

export interface Evaluation {
  met: boolean;
  /** Alterations that met the positive conditions, with how they matched. */
  hits: Hit[];
  /** The match that stands for the whole criterion: the weakest link of an ALL, the best of an ANY. */
  anchor?: Hit;
}

const STRENGTH: Record<VariantMatch, number> = { exact: 4, position: 3, category: 2, gene: 1 };
export const stronger = (x: Hit, y: Hit) => STRENGTH[x.how] > STRENGTH[y.how] || (STRENGTH[x.how] === STRENGTH[y.how] && x.alteration.key < y.alteration.key);

const NOT_MET: Evaluation = Object.freeze({ met: false, hits: Object.freeze([]) as unknown as Hit[] });
const MET_WITHOUT_HITS: Evaluation = Object.freeze({ met: true, hits: Object.freeze([]) as unknown as Hit[] });

/** Evaluate criteria on the whole profile (the answer is shared and frozen when nothing positive was met). */
export function evaluateCriteria(c: Criteria, alterations: readonly Alteration[], ctx: MatchContext): Evaluation {
  switch (c.op) {
    case 'atom': {
      let hits: Hit[] | undefined;
      let anchor: Hit | undefined;
      const found = candidates(c.atom, alterations, ctx);
      for (let i = 0; i < found.length; i++) {
        const a = found[i]!;
        if (!matchAtom(c.atom, a, ctx)) continue;
        const h: Hit = { alteration: a, how: atomHow(c.atom) };
        (hits ??= []).push(h);
        if (!anchor || stronger(h, anchor)) anchor = h;
      }
      // Most evaluations meet nothing: they share one frozen answer.
      return hits === undefined ? NOT_MET : { met: true, hits, anchor };
    }
    case 'not':
      return evaluateCriteria(c.of, alterations, ctx).met ? NOT_MET : MET_WITHOUT_HITS;
    case 'any': {
      // The list of hits is made once a child is met: most evaluations meet nothing.
      let hits: Hit[] | undefined;
      let anchor: Hit | undefined;
      for (let i = 0; i < c.of.length; i++) {
        const r = evaluateCriteria(c.of[i]!, alterations, ctx);
        if (!r.met) continue;
        hits ??= [];
        for (let j = 0; j < r.hits.length; j++) hits.push(r.hits[j]!);
        if (r.anchor && (!anchor || stronger(r.anchor, anchor))) anchor = r.anchor;
      }
      return hits !== undefined ? { met: true, hits, anchor } : NOT_MET;
    }
    case 'all': {
      let hits: Hit[] | undefined;
      let anchor: Hit | undefined;
      for (let i = 0; i < c.of.length; i++) {
        const r = evaluateCriteria(c.of[i]!, alterations, ctx);
        if (!r.met) return NOT_MET;
        hits ??= [];
        for (let j = 0; j < r.hits.length; j++) hits.push(r.hits[j]!);
        if (r.anchor && (!anchor || stronger(anchor, r.anchor))) anchor = r.anchor;
      }
      return { met: true, hits: hits ?? [], anchor };
    }
  }
}

export interface BiomarkerMatch {
  biomarker: BiomarkerNode;
  anchor: Hit;
  hits: Hit[];
}

/**
 * Every biomarker the profile meets, each evaluated once on the whole profile.
 * Candidates come from the gene index, so cost grows with the profile, not the knowledge base.
 */
export function matchBiomarkers(index: GraphIndex, alterations: readonly Alteration[], ctx: MatchContext): BiomarkerMatch[] {
  const seen = new Set<string>();
  const out: BiomarkerMatch[] = [];
  const evaluate = (biomarkers: readonly BiomarkerNode[] | undefined) => {
    if (biomarkers === undefined) return;
    for (const b of biomarkers) {
      if (seen.has(b.id)) continue;
      seen.add(b.id);
      const r = evaluateCriteria(b.criteria, alterations, ctx);
      // A criterion is reached from an alteration: it needs a positive hit, not only a NOT.
      if (r.met && r.anchor) out.push({ biomarker: b, anchor: r.anchor, hits: r.hits });
    }
  };
  for (const a of alterations) {
    // Only the biomarkers an alteration of this kind can meet through this gene (prepare.ts: biomarkersByGeneKind).
    evaluate(index.biomarkersByGeneKind.get(a.gene)?.get(a.kind));
    if (a.kind === 'fusion' && a.partner) evaluate(index.biomarkersByGeneKind.get(a.partner)?.get('fusion'));
    // Biomarkers of exact changes and positions: only those at this mutation's position can be met through it.
    const pos = a.kind === 'mutation' ? a.protein?.pos : undefined;
    if (pos !== undefined) evaluate(index.biomarkersByPosition.get(a.gene)?.get(pos));
  }
  out.sort((x, y) => (x.biomarker.id < y.biomarker.id ? -1 : x.biomarker.id > y.biomarker.id ? 1 : 0));
  return out;
}

export { atomIndexKeys };

/**
 * Driver class of an alteration (DESIGN §4 `driver`): oncogenic, likely
 * oncogenic, or of unknown significance. From the gene's curated driver
 * classes first, then the variants evidence names exactly, then the gene's
 * role (a truncating variant or a deletion of a tumour suppressor, an
 * amplification of an oncogene). A variant of unknown significance stays
 * `unknown`, and weighs little (0.1 by default) so it never ranks high alone.
 */
import type { Alteration } from '../domain/alteration.ts';
import { atomPosition, type Criteria } from '../domain/criteria.ts';
import { TRUNCATING } from '../domain/protein.ts';
import type { DriverClass } from '../domain/result.ts';
import { evaluateCriteria, type MatchContext } from './match-biomarkers.ts';
import type { GraphIndex } from './prepare.ts';
import type { GeneNode } from '../domain/knowledge.ts';

const SIGNATURE_DRIVERS: Record<string, (v: string | number | undefined) => boolean> = {
  MSI: (v) => v === 'high',
  MMR: (v) => v === 'deficient',
  TMB: (v) => v === 'high' || (typeof v === 'number' && v >= 10),
  HRD: (v) => v === 'positive',
};

const RANK: Record<DriverClass, number> = { unknown: 0, likely: 1, oncogenic: 2 };

export function classifyDriver(index: GraphIndex, a: Alteration): DriverClass {
  if (a.kind === 'signature') return SIGNATURE_DRIVERS[a.gene]?.(a.value) ? 'oncogenic' : 'unknown';
  // A fusion is judged by either partner: the kinase may be 5' (FGFR2::BICC1) or 3' (EML4::ALK).
  if (a.kind === 'fusion' && a.partner) {
    const x = classifyFor(index, a, a.gene);
    const y = classifyFor(index, a, a.partner);
    return RANK[x] >= RANK[y] ? x : y;
  }
  return classifyFor(index, a, a.gene);
}

/**
 * A gene's curated driver criteria, ready to be asked about one alteration: those that name one protein change or
 * position by that position (only a mutation there can meet them: matchAtom), the others in a list. Most of a
 * cohort's alterations are passenger missense variants, each asked against every curated class of its gene (about
 * six on average, dozens for KIT or EGFR); by position, most are asked against none.
 */
interface DriverRules {
  byPosition: Map<number, Criteria[]>;
  other: Criteria[];
}
interface GeneRules {
  oncogenic: DriverRules;
  likely: DriverRules;
  /** What they are evaluated in: `activating` atoms inside curated classes would be circular, so never met. */
  ctx: MatchContext;
}
const NOT_A_DRIVER = (): DriverClass => 'unknown';
const rulesByIndex = new WeakMap<GraphIndex, Map<string, GeneRules>>();

const positionOf = (c: Criteria): number | undefined => (c.op === 'atom' ? atomPosition(c.atom) : undefined);

function driverRules(list: readonly Criteria[]): DriverRules {
  const byPosition = new Map<number, Criteria[]>();
  const other: Criteria[] = [];
  for (const c of list) {
    const pos = positionOf(c);
    if (pos === undefined) other.push(c);
    else {
      const at = byPosition.get(pos);
      if (at === undefined) byPosition.set(pos, [c]);
      else at.push(c);
    }
  }
  return { byPosition, other };
}

function geneRules(index: GraphIndex, gene: GeneNode): GeneRules {
  let byGene = rulesByIndex.get(index);
  if (byGene === undefined) rulesByIndex.set(index, (byGene = new Map()));
  let rules = byGene.get(gene.symbol);
  if (rules === undefined) {
    rules = { oncogenic: driverRules(gene.drivers.oncogenic), likely: driverRules(gene.drivers.likely), ctx: { genes: index.genes, driverOf: NOT_A_DRIVER } };
    byGene.set(gene.symbol, rules);
  }
  return rules;
}

/** Does the one alteration meet any of the criteria? (A loop: this runs for every alteration of every ranking.) */
function meetsAny(list: readonly Criteria[], one: readonly Alteration[], ctx: MatchContext): boolean {
  for (let i = 0; i < list.length; i++) if (evaluateCriteria(list[i]!, one, ctx).met) return true;
  return false;
}

/** Does the alteration meet any of a gene's curated criteria of one class? As meetsAny of them all, asking fewer. */
function meetsRules(rules: DriverRules, a: Alteration, one: readonly Alteration[], ctx: MatchContext): boolean {
  const p = a.kind === 'mutation' ? a.protein : undefined;
  // A change or position atom is met only by a (non-synonymous) mutation at its position (matchAtom).
  if (p !== undefined && p.type !== 'synonymous') {
    if (p.pos !== undefined) {
      const at = rules.byPosition.get(p.pos);
      if (at !== undefined && meetsAny(at, one, ctx)) return true;
    } else {
      // No position (a change without one): every one is asked, as they all were.
      for (const at of rules.byPosition.values()) if (meetsAny(at, one, ctx)) return true;
    }
  }
  return meetsAny(rules.other, one, ctx);
}

function classifyFor(index: GraphIndex, a: Alteration, symbol: string): DriverClass {
  const gene = index.genes.get(symbol);
  if (!gene) return 'unknown';
  const rules = geneRules(index, gene);
  const one = [a];
  if (meetsRules(rules.oncogenic, a, one, rules.ctx)) return 'oncogenic';
  if (a.kind === 'mutation' && a.protein) {
    const p = a.protein;
    const known = index.knownByGene.get(a.gene);
    if (known !== undefined && (known.changes.has(p.canonical) || (p.pos !== undefined && p.type === 'missense' && known.positions.has(p.pos)))) {
      return 'oncogenic';
    }
  }
  if (meetsRules(rules.likely, a, one, rules.ctx)) return 'likely';
  const tsg = gene.role === 'tsg' || gene.role === 'both';
  const onc = gene.role === 'oncogene' || gene.role === 'both';
  if (tsg && (a.kind === 'deletion' || (a.kind === 'mutation' && a.protein && TRUNCATING.has(a.protein.type)))) return 'likely';
  if (onc && (a.kind === 'amplification' || a.kind === 'fusion')) return 'likely';
  return 'unknown';
}

/**
 * Driver class of an alteration (DESIGN §4 `driver`): oncogenic, likely
 * oncogenic, or of unknown significance. From the gene's curated driver
 * classes first, then the variants evidence names exactly, then the gene's
 * role (a truncating variant or a deletion of a tumour suppressor, an
 * amplification of an oncogene). A variant of unknown significance stays
 * `unknown`, and weighs little (0.1 by default) so it never ranks high alone.
 */
import type { Alteration } from '../domain/alteration.ts';
import type { Criteria } from '../domain/criteria.ts';
import { TRUNCATING } from '../domain/protein.ts';
import type { DriverClass } from '../domain/result.ts';
import { evaluateCriteria, type MatchContext } from './match-biomarkers.ts';
import type { GraphIndex } from './prepare.ts';

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

/** The context curated driver classes are evaluated in, one per knowledge base. */
const contexts = new WeakMap<GraphIndex, MatchContext>();
// Curated classes; `activating` atoms inside them would be circular, so they never match here.
const NOT_A_DRIVER = (): DriverClass => 'unknown';

/** Does the one alteration meet any of the criteria? (A loop: this runs for every alteration of every ranking.) */
function meetsAny(list: readonly Criteria[], one: readonly Alteration[], ctx: MatchContext): boolean {
  for (let i = 0; i < list.length; i++) if (evaluateCriteria(list[i]!, one, ctx).met) return true;
  return false;
}

function classifyFor(index: GraphIndex, a: Alteration, symbol: string): DriverClass {
  const gene = index.genes.get(symbol);
  if (!gene) return 'unknown';
  let ctx = contexts.get(index);
  if (ctx === undefined) contexts.set(index, (ctx = { genes: index.genes, driverOf: NOT_A_DRIVER }));
  const one = [a];
  if (meetsAny(gene.drivers.oncogenic, one, ctx)) return 'oncogenic';
  if (a.kind === 'mutation' && a.protein) {
    const p = a.protein;
    if (index.knownVariants.has(`${a.gene}:${p.canonical}`) || (p.pos !== undefined && p.type === 'missense' && index.knownVariants.has(`${a.gene}@${p.pos}`))) {
      return 'oncogenic';
    }
  }
  if (meetsAny(gene.drivers.likely, one, ctx)) return 'likely';
  const tsg = gene.role === 'tsg' || gene.role === 'both';
  const onc = gene.role === 'oncogene' || gene.role === 'both';
  if (tsg && (a.kind === 'deletion' || (a.kind === 'mutation' && a.protein && TRUNCATING.has(a.protein.type)))) return 'likely';
  if (onc && (a.kind === 'amplification' || a.kind === 'fusion')) return 'likely';
  return 'unknown';
}

/**
 * What a category-level reference item stands for in a patient (issue 11):
 * `KIT EXON 11 MUTATION`, `FLT3 TKD MUTATION`, `BRCA2 LOSS-OF-FUNCTION` name
 * no single variant, but every patient in such a study carried one. As a
 * position stands for its most cited exact change (`KRAS G12` -> G12D), a
 * category stands for the most cited exact change of the same gene in the same
 * release that meets the category's own criterion, read with the criteria
 * language (exon and domain ranges from the gene files, truncating changes for
 * loss of function). Where no cited change meets it, the item stays unmapped.
 */
import { normaliseAlteration, type GeneResolver } from '../domain/alteration.ts';
import { parseCriteria } from '../domain/criteria.ts';
import type { CivicEvidence } from '../opendata/civic.ts';
import { mapCivicRecord, type CategoryRepresentative, type Representative } from '../opendata/variants.ts';
import { classifyDriver } from '../scoring/classify-driver.ts';
import { evaluateCriteria, type MatchContext } from '../scoring/match-biomarkers.ts';
import type { GraphIndex } from '../scoring/prepare.ts';

export interface CategoryOptions {
  genes?: GeneResolver;
  representative?: Representative;
}

export function categoryRepresentatives(records: readonly CivicEvidence[], index: GraphIndex, opts: CategoryOptions = {}): CategoryRepresentative {
  // Exact single changes cited in the release, per gene, with how often.
  const counts = new Map<string, Map<string, number>>();
  for (const r of records) {
    const m = mapCivicRecord(r, { genes: opts.genes, representative: opts.representative });
    if (!m.ok || !m.alterations || m.alterations.length !== 1 || typeof m.criteria !== 'string') continue;
    const a = m.alterations[0]!;
    if (a.kind !== 'mutation' || !a.change || m.criteria !== `${a.gene} ${a.change}`) continue;
    let c = counts.get(a.gene);
    if (!c) counts.set(a.gene, (c = new Map()));
    c.set(a.change, (c.get(a.change) ?? 0) + 1);
  }
  const ctx: MatchContext = { genes: index.genes, driverOf: (a) => classifyDriver(index, a) };
  const memo = new Map<string, string | undefined>();
  return (gene, criteria) => {
    const key = `${gene}\u0000${criteria}`;
    if (memo.has(key)) return memo.get(key);
    let found: string | undefined;
    const c = counts.get(gene);
    if (c) {
      const parsed = parseCriteria(criteria);
      const ordered = [...c.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
      for (const [change] of ordered) {
        let alteration;
        try {
          alteration = normaliseAlteration({ kind: 'mutation', gene, change });
        } catch {
          continue;
        }
        // A variant of unknown significance never stands for a category: the patients of such a study carried drivers.
        if (ctx.driverOf(alteration) === 'unknown') continue;
        if (evaluateCriteria(parsed, [alteration], ctx).met) {
          found = change;
          break;
        }
      }
    }
    memo.set(key, found);
    return found;
  };
}

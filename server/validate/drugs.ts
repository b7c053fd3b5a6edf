/**
 * The drugs of one reference item, as the knowledge base names them. Two kinds
 * of name in the references are not drugs of the knowledge base but are read
 * faithfully rather than counted as unknown drugs:
 *
 * - a named regimen stands for its drugs (`FOLFOX-4 Regimen` = fluorouracil +
 *   leucovorin + oxaliplatin);
 * - an unspecified chemotherapy backbone given with a named drug
 *   (`Cetuximab + Chemotherapy`) is about the named drug: the item is found or
 *   flagged through the best therapy holding the named drug(s). On its own
 *   (`Chemotherapy`) it names no drug and stays unknown.
 */
import type { DrugLookup } from '../opendata/drugs.ts';

const REGIMENS: Record<string, string[]> = {
  folfox: ['fluorouracil', 'leucovorin', 'oxaliplatin'],
  'folfox-4': ['fluorouracil', 'leucovorin', 'oxaliplatin'],
  'folfox-6': ['fluorouracil', 'leucovorin', 'oxaliplatin'],
  mfolfox6: ['fluorouracil', 'leucovorin', 'oxaliplatin'],
  folfiri: ['fluorouracil', 'leucovorin', 'irinotecan'],
  folfoxiri: ['fluorouracil', 'leucovorin', 'oxaliplatin', 'irinotecan'],
  xelox: ['capecitabine', 'oxaliplatin'],
  capox: ['capecitabine', 'oxaliplatin'],
};

const UNSPECIFIED_BACKBONE = /^(chemotherapy|adjuvant chemotherapy)$/i;

export interface ResolvedDrugs {
  /** Knowledge-base drug names the therapy must hold. */
  drugs: string[];
  /** Names given by the reference that name no drug of the knowledge base. */
  unknown: string[];
}

export function resolveDrugs(given: readonly string[], lookup: DrugLookup): ResolvedDrugs {
  const drugs: string[] = [];
  const unknown: string[] = [];
  const named = given.filter((g) => !UNSPECIFIED_BACKBONE.test(g.trim()));
  for (const g of given) {
    const t = g.trim();
    if (UNSPECIFIED_BACKBONE.test(t)) {
      if (named.length === 0) unknown.push(g);
      continue;
    }
    const regimen = REGIMENS[t.toLowerCase().replace(/\s+regimen$/, '')];
    const names = regimen ?? [t];
    for (const n of names) {
      const d = lookup(n);
      if (d) {
        if (!drugs.includes(d)) drugs.push(d);
      } else unknown.push(regimen ? `${g} (${n})` : g);
    }
  }
  return { drugs, unknown };
}

/** The `drugs` and `unknownDrugs` of a validation item. */
export function itemDrugs(given: readonly string[], lookup: DrugLookup): { drugs: string[]; unknownDrugs: string[] } {
  const r = resolveDrugs(given, lookup);
  return { drugs: r.drugs, unknownDrugs: r.unknown };
}

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
 *   (`Chemotherapy`) it names no drug and stays unknown;
 * - a drug class (`Epidermal Growth Factor Receptor Tyrosine Kinase
 *   Inhibitor`, `Platinum Compound`) stands for any knowledge-base drug of
 *   that class, read from the `class` and `targets` fields of drugs.yaml by the
 *   predicates of DRUG_CLASSES: the item is found through the best therapy
 *   holding one drug of each named class (a board offered erlotinib has been
 *   offered an EGFR tyrosine kinase inhibitor). A class no drug of the
 *   knowledge base belongs to, or one not in the table, stays unknown.
 */
import type { DrugLookup, DrugRecord } from '../opendata/drugs.ts';

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

type ClassPredicate = (d: { class: string; targets: readonly string[] }) => boolean;

// Predicates on a drugs.yaml entry (its class and targets).
const EGFR_TKI: ClassPredicate = (d) => d.targets.includes('EGFR') && /^(EGFR|pan-HER)\b[^,]*inhibitor/i.test(d.class) && !/antibod/i.test(d.class);
const BRAF_INHIBITOR: ClassPredicate = (d) => d.targets.includes('BRAF') && /^(BRAF V600|type II pan-RAF) inhibitor/i.test(d.class);
const MEK_INHIBITOR: ClassPredicate = (d) => d.targets.includes('MAP2K1') && /^(MEK1\/2 inhibitor|RAF\/MEK clamp)/i.test(d.class);
const PLATINUM: ClassPredicate = (d) => /^platinum\b/i.test(d.class);
const TAXANE: ClassPredicate = (d) => /^taxane\b/i.test(d.class);
const ANTHRACYCLINE: ClassPredicate = (d) => /^anthracycline\b/i.test(d.class);
const MTOR_INHIBITOR: ClassPredicate = (d) => /^mTOR inhibitor/i.test(d.class);
const ANTI_EGFR_ANTIBODY: ClassPredicate = (d) => /^anti-EGFR antibody$/i.test(d.class);
const ANTI_VEGF_ANTIBODY: ClassPredicate = (d) => /^anti-VEGF(-A)? antibody$/i.test(d.class);

/**
 * Drug classes the references name (keys: their names, lower case), each with
 * the predicate that says which drugs.yaml entries belong to it. Kept
 * explicit: a class name not listed here is not guessed at.
 */
export const DRUG_CLASSES: Record<string, ClassPredicate> = {
  // small-molecule EGFR tyrosine kinase inhibitors (1st to 3rd generation, exon 20, EGFR/HER2 and pan-HER), not anti-EGFR antibodies, not multikinase or ALK inhibitors that also hit EGFR
  'epidermal growth factor receptor tyrosine kinase inhibitor': EGFR_TKI,
  'egfr tyrosine kinase inhibitor': EGFR_TKI,
  'egfr tki': EGFR_TKI,
  // BRAF V600 inhibitors and the type II pan-RAF inhibitor, not multikinase inhibitors (sorafenib, regorafenib)
  'braf inhibitor': BRAF_INHIBITOR,
  // MEK1/2 inhibitors (and the RAF/MEK clamp)
  'mitogen-activated protein kinase kinase inhibitor': MEK_INHIBITOR,
  'mek inhibitor': MEK_INHIBITOR,
  'platinum compound': PLATINUM,
  'taxane compound': TAXANE,
  anthracycline: ANTHRACYCLINE,
  'anthracycline antineoplastic antibiotic': ANTHRACYCLINE,
  // rapalogs (everolimus, temsirolimus, sirolimus), not dual PI3K/mTOR inhibitors
  'mtor inhibitor': MTOR_INHIBITOR,
  'anti-egfr monoclonal antibody': ANTI_EGFR_ANTIBODY,
  'anti-vegf monoclonal antibody': ANTI_VEGF_ANTIBODY,
};

/** The knowledge-base drugs of a named class (sorted), or undefined when the name is no class of DRUG_CLASSES. */
export function classDrugs(name: string, records: readonly DrugRecord[]): string[] | undefined {
  const member = DRUG_CLASSES[name.trim().toLowerCase().replace(/\s+/g, ' ')];
  if (!member) return undefined;
  return records
    .filter((d) => member({ class: d.class ?? '', targets: d.targets ?? [] }))
    .map((d) => d.name)
    .sort();
}

const UNSPECIFIED_BACKBONE = /^(chemotherapy|adjuvant chemotherapy)$/i;

export interface DrugClass {
  /** The class as the reference names it. */
  name: string;
  /** The knowledge-base drugs of that class: the therapy must hold at least one. */
  drugs: string[];
}

export interface ResolvedDrugs {
  /** Knowledge-base drug names the therapy must hold. */
  drugs: string[];
  /** Drug classes named: the therapy must hold one drug of each. */
  classes: DrugClass[];
  /** Names given by the reference that name no drug of the knowledge base. */
  unknown: string[];
}

export function resolveDrugs(given: readonly string[], lookup: DrugLookup): ResolvedDrugs {
  const drugs: string[] = [];
  const classes: DrugClass[] = [];
  const unknown: string[] = [];
  const named = given.filter((g) => !UNSPECIFIED_BACKBONE.test(g.trim()));
  for (const g of given) {
    const t = g.trim();
    if (UNSPECIFIED_BACKBONE.test(t)) {
      if (named.length === 0) unknown.push(g);
      continue;
    }
    const members = classDrugs(t, lookup.records ?? []);
    if (members) {
      if (members.length > 0) classes.push({ name: t, drugs: members });
      else unknown.push(g);
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
  return { drugs, classes, unknown };
}

/** The `drugs`, `drugClasses` and `unknownDrugs` of a validation item. */
export function itemDrugs(given: readonly string[], lookup: DrugLookup): { drugs: string[]; drugClasses?: DrugClass[]; unknownDrugs: string[] } {
  const r = resolveDrugs(given, lookup);
  return { drugs: r.drugs, ...(r.classes.length > 0 ? { drugClasses: r.classes } : {}), unknownDrugs: r.unknown };
}

/** Whether a therapy's drugs hold every named drug and one drug of each named class. */
export function holdsItemDrugs(therapyDrugs: readonly string[], drugs: readonly string[], classes: readonly DrugClass[] = []): boolean {
  return drugs.every((d) => therapyDrugs.includes(d)) && classes.every((c) => c.drugs.some((d) => therapyDrugs.includes(d)));
}

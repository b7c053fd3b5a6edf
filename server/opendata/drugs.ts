/**
 * Drug names of open releases (CIViC `Dabrafenib`, CGI `Ado-Trastuzumab
 * Emtansine`) -> the knowledge base's lower-case INN, through the names,
 * synonyms and brands of drugs.yaml. A name not found is reported, never guessed.
 * NCI Thesaurus names an investigational agent by its mechanism and code
 * (`Akt/ERK Inhibitor ONC201`, `FGFR Inhibitor AZD4547`): when the whole name
 * is not found, a final code-shaped word is looked up as the exact synonym it
 * is (ONC201 -> dordaviprone); a code no drug carries stays unknown.
 */
export interface DrugRecord {
  name: string;
  synonyms?: string[];
  brands?: string[];
  /** drugs.yaml's class and targets (HGNC symbols), for reading drug classes (server/validate/drugs.ts). */
  class?: string;
  targets?: string[];
}

/** Salt and solvate forms name the same drug (`Imatinib Mesylate`, `Trametinib Dimethyl Sulfoxide`). */
const SALT = /\s+(mesylate|dimesylate|hydrochloride|dihydrochloride|hcl|dimethyl sulfoxide|tosylate|ditosylate|maleate|malate|s-malate|citrate|besylate|sulfate|phosphate|sodium|potassium|camsylate|fumarate|succinate|acetate|tartrate|hydrobromide|monohydrate|hydrate)$/i;

/** The code-name word NCIt ends an investigational agent's name with (`ONC201`, `AZD4547`, `BKM120`, `GDC-0941`). */
const TRAILING_CODE = /\s([A-Z]{2,5}-?\d{2,6}[A-Z]?)$/;

const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '').replace(/[()]/g, '');

export interface DrugLookup {
  (name: string): string | undefined;
  readonly names: ReadonlySet<string>;
  /** The drugs it was made from (with class and targets when given). */
  readonly records: readonly DrugRecord[];
}

export function createDrugLookup(drugs: readonly DrugRecord[]): DrugLookup {
  const exact = new Map<string, string>();
  const loose = new Map<string, string>();
  for (const d of drugs) {
    for (const n of [d.name, ...(d.synonyms ?? []), ...(d.brands ?? [])]) {
      if (!exact.has(n.toLowerCase())) exact.set(n.toLowerCase(), d.name);
      if (!loose.has(squash(n))) loose.set(squash(n), d.name);
    }
  }
  const f = ((name: string) => {
    const t = name.trim();
    if (t === '') return undefined;
    const bare = t.replace(SALT, '');
    const found = exact.get(t.toLowerCase()) ?? loose.get(squash(t)) ?? exact.get(bare.toLowerCase()) ?? loose.get(squash(bare));
    if (found) return found;
    const code = TRAILING_CODE.exec(t)?.[1];
    return code ? exact.get(code.toLowerCase()) : undefined;
  }) as DrugLookup;
  Object.defineProperty(f, 'names', { value: new Set(drugs.map((d) => d.name)) });
  Object.defineProperty(f, 'records', { value: drugs });
  return f;
}

/**
 * Biomarker criteria: the small language evidence uses to say which
 * alterations it is about (DESIGN §3). An atom is one string:
 *
 *   exact        `BRAF V600E`, `EGFR E746_A750del`, `MET exon 14 skipping`
 *   position     `KRAS G12`, `BRAF V600` (any change at that residue)
 *   category     `EGFR exon 19 deletion`, `EGFR exon 20 insertion`, `KIT exon 11 mutation`,
 *                `ERBB2 kinase-domain mutation`, `KRAS activating mutation`
 *   gene level   `BRCA1 loss-of-function`, `KRAS mutation`
 *   events       `ERBB2 amplification`, `CDKN2A deletion`, `ALK fusion`, `EML4::ALK fusion`
 *   expression   `ERBB2 overexpression` (met by high or positive), `ERBB2 low expression` (HER2-low:
 *                IHC 1+, or 2+ without amplification by ISH), `ERBB2 ultralow expression` (IHC 0 with
 *                faint staining in at most 10% of cells), `PTEN loss of expression` (IHC negative)
 *   methylation  `MGMT promoter methylation`
 *   signatures   `MSI-H` (also met by dMMR), `dMMR`, `TMB >= 10`, `HRD`
 *
 * Several genes may share one atom: `NTRK1/2/3 fusion`, `BRCA1/2 loss-of-function`
 * (read as ANY). Compound criteria are YAML objects: `{all: [...]}`, `{any: [...]}`, `{not: ...}`.
 */
import { parseProteinChange, type ProteinChange } from './protein.ts';

/**
 * Which expression result an expression atom asks for: `high` is met by a profile's high or positive result,
 * `low`, `ultralow` by the same words, `lost` by a negative one (no expression: IHC 0, IHC loss).
 */
export type ExpressionLevel = 'high' | 'low' | 'ultralow' | 'lost';

export type MatchHow = 'exact' | 'position' | 'category' | 'gene';

export type Atom =
  | { type: 'change'; gene: string; change: ProteinChange }
  | { type: 'position'; gene: string; ref: string; pos: number }
  | { type: 'exon'; gene: string; exon: number; variant: 'deletion' | 'insertion' | 'mutation' }
  | { type: 'domain'; gene: string; domain: string }
  | { type: 'activating'; gene: string }
  | { type: 'lof'; gene: string }
  | { type: 'any-mutation'; gene: string }
  | { type: 'amplification'; gene: string }
  | { type: 'deletion'; gene: string }
  | { type: 'fusion'; gene: string; partner?: string }
  | { type: 'expression'; gene: string; level: ExpressionLevel }
  | { type: 'methylation'; gene: string }
  | { type: 'msi-high' }
  | { type: 'mmr-deficient' }
  | { type: 'tmb'; min: number }
  | { type: 'hrd' };

export type Criteria =
  | { op: 'atom'; atom: Atom }
  | { op: 'all'; of: Criteria[] }
  | { op: 'any'; of: Criteria[] }
  | { op: 'not'; of: Criteria };

/** The match factor class of DESIGN §4 that an atom gives when it is met. */
export function atomHow(atom: Atom): MatchHow {
  switch (atom.type) {
    case 'position':
      return 'position';
    case 'exon':
    case 'domain':
    case 'activating':
      return 'category';
    case 'lof':
    case 'any-mutation':
      return 'gene';
    default:
      return 'exact';
  }
}

export class CriteriaError extends Error {
  constructor(message: string) {
    super(`evidence/criteria: ${message}`);
    this.name = 'CriteriaError';
  }
}

/** Expand `BRCA1/2`, `NTRK1/2/3`, `KRAS/NRAS` to gene symbols. */
function expandGenes(token: string): string[] {
  const parts = token.split('/');
  const first = parts[0]!.toUpperCase();
  const stem = first.replace(/\d+$/, '');
  return parts.map((p, i) => (i > 0 && /^\d+$/.test(p) ? `${stem}${p}` : p.toUpperCase())).map((g) => {
    if (!/^[A-Z0-9][A-Z0-9.-]*$/.test(g)) throw new CriteriaError(`"${token}" is not a gene symbol`);
    return g;
  });
}

function parseSignature(s: string): Atom | undefined {
  const t = s.trim();
  if (/^(MSI-H|MSI[- ]high)$/i.test(t)) return { type: 'msi-high' };
  if (/^(dMMR|MMR[- ]deficient)$/i.test(t)) return { type: 'mmr-deficient' };
  if (/^(HRD|HRD[- ]positive)$/i.test(t)) return { type: 'hrd' };
  const tmb = t.match(/^TMB\s*(?:>=|≥)\s*(\d+(?:\.\d+)?)$/i);
  if (tmb) return { type: 'tmb', min: Number(tmb[1]) };
  return undefined;
}

/** Parse the part after the gene (`V600E`, `exon 19 deletion`, `amplification`, ...). */
function parseSpec(gene: string, spec: string): Atom {
  const s = spec.trim().replace(/\s+/g, ' ');
  const lower = s.toLowerCase();
  if (/^(amplification|amp|amplified|copy[- ]number gain)$/.test(lower)) return { type: 'amplification', gene };
  if (/^(deletion|homozygous deletion|loss|del|deep deletion)$/.test(lower)) return { type: 'deletion', gene };
  if (/^(overexpression|expression|high expression|positive)$/.test(lower)) return { type: 'expression', gene, level: 'high' };
  // Not "negative": a clinical "HER2-negative" includes HER2-low, so the word would say less than it seems to.
  if (/^(low expression|low[- ]level expression|expression low|low)$/.test(lower)) return { type: 'expression', gene, level: 'low' };
  if (/^(ultra[- ]?low expression|ultra[- ]?low)$/.test(lower)) return { type: 'expression', gene, level: 'ultralow' };
  if (/^(loss of expression|loss of protein expression|expression loss|protein loss|no expression|lost expression)$/.test(lower)) return { type: 'expression', gene, level: 'lost' };
  if (/^(promoter )?(hyper)?methylation$|^(promoter )?methylated$/.test(lower)) return { type: 'methylation', gene };
  if (/^(fusion|rearrangement|fusions|translocation)$/.test(lower)) return { type: 'fusion', gene };
  if (/^(loss[- ]of[- ]function|lof|inactivating mutation|truncating mutation|deleterious mutation|pathogenic mutation)$/.test(lower))
    return { type: 'lof', gene };
  if (/^(mutation|any mutation|mutant|mutated)$/.test(lower)) return { type: 'any-mutation', gene };
  if (/^(activating mutation|oncogenic mutation|hotspot mutation)$/.test(lower)) return { type: 'activating', gene };
  const exon = lower.match(/^exon (\d+) (deletion|insertion|mutation|indel)s?$/);
  if (exon) {
    const variant = exon[2] === 'indel' ? 'mutation' : (exon[2] as 'deletion' | 'insertion' | 'mutation');
    return { type: 'exon', gene, exon: Number(exon[1]), variant };
  }
  const domain = lower.match(/^([a-z0-9]+)[- ]domain mutation$/);
  if (domain) return { type: 'domain', gene, domain: domain[1]! };
  const pos = s.match(/^(?:p\.)?([A-Z])(\d+)X?$/);
  if (pos) return { type: 'position', gene, ref: pos[1]!, pos: Number(pos[2]) };
  const change = parseProteinChange(s);
  if (change) return { type: 'change', gene, change };
  throw new CriteriaError(`"${gene} ${spec}" is not a criterion we understand`);
}

/** Parse one atom string; several genes (`NTRK1/2/3 fusion`) give an ANY. */
export function parseAtomString(text: string, defaultGene?: string): Criteria {
  const t = text.trim();
  if (t === '') throw new CriteriaError('empty criterion');
  const sig = parseSignature(t);
  if (sig) return { op: 'atom', atom: sig };
  const fusion = t.match(/^([A-Za-z0-9.-]+)(?:::|-|–)([A-Za-z0-9.-]+) fusion$/i);
  if (fusion) {
    return { op: 'atom', atom: { type: 'fusion', gene: fusion[2]!.toUpperCase(), partner: fusion[1]!.toUpperCase() } };
  }
  const space = t.indexOf(' ');
  const head = space < 0 ? t : t.slice(0, space);
  const rest = space < 0 ? '' : t.slice(space + 1);
  let genes: string[] | undefined;
  if (/^[A-Za-z0-9][A-Za-z0-9./-]*$/.test(head) && /[A-Z]/.test(head) && rest !== '' && head === head.toUpperCase()) {
    try {
      genes = expandGenes(head);
    } catch {
      genes = undefined;
    }
  }
  if (!genes) {
    if (!defaultGene) throw new CriteriaError(`"${t}" does not start with a gene symbol`);
    return { op: 'atom', atom: parseSpec(defaultGene, t) };
  }
  const atoms = genes.map((g): Criteria => ({ op: 'atom', atom: parseSpec(g, rest) }));
  return atoms.length === 1 ? atoms[0]! : { op: 'any', of: atoms };
}

/** YAML form of criteria: a string, or {all: [...]}, {any: [...]}, {not: ...}. */
export type CriteriaSource = string | { all: CriteriaSource[] } | { any: CriteriaSource[] } | { not: CriteriaSource };

export function parseCriteria(src: unknown, defaultGene?: string): Criteria {
  if (typeof src === 'string') return parseAtomString(src, defaultGene);
  if (src && typeof src === 'object' && !Array.isArray(src)) {
    const keys = Object.keys(src);
    if (keys.length !== 1) throw new CriteriaError(`a compound criterion has exactly one of all / any / not, got ${keys.join(', ') || 'nothing'}`);
    const key = keys[0]!;
    const value = (src as Record<string, unknown>)[key];
    if (key === 'not') return { op: 'not', of: parseCriteria(value, defaultGene) };
    if (key === 'all' || key === 'any') {
      if (!Array.isArray(value) || value.length === 0) throw new CriteriaError(`"${key}" takes a non-empty list`);
      return { op: key, of: value.map((v) => parseCriteria(v, defaultGene)) };
    }
    throw new CriteriaError(`unknown compound "${key}" (use all, any or not)`);
  }
  throw new CriteriaError(`a criterion is a string or {all|any|not: ...}, got ${JSON.stringify(src)}`);
}

export function atomToString(a: Atom): string {
  switch (a.type) {
    case 'change':
      return `${a.gene} ${a.change.canonical}`;
    case 'position':
      return `${a.gene} ${a.ref}${a.pos}`;
    case 'exon':
      return `${a.gene} exon ${a.exon} ${a.variant}`;
    case 'domain':
      return `${a.gene} ${a.domain}-domain mutation`;
    case 'activating':
      return `${a.gene} activating mutation`;
    case 'lof':
      return `${a.gene} loss-of-function`;
    case 'any-mutation':
      return `${a.gene} mutation`;
    case 'amplification':
      return `${a.gene} amplification`;
    case 'deletion':
      return `${a.gene} deletion`;
    case 'fusion':
      return a.partner ? `${a.partner}::${a.gene} fusion` : `${a.gene} fusion`;
    case 'expression':
      return EXPRESSION_TEXT[a.level](a.gene);
    case 'methylation':
      return `${a.gene} promoter methylation`;
    case 'msi-high':
      return 'MSI-H';
    case 'mmr-deficient':
      return 'dMMR';
    case 'tmb':
      return `TMB >= ${a.min}`;
    case 'hrd':
      return 'HRD';
  }
}

/** Does a profile's expression result (its `value`) meet an expression atom of this level? */
export function expressionMeets(level: ExpressionLevel, value: string | number | undefined): boolean {
  switch (level) {
    case 'high':
      return value === 'high' || value === 'positive';
    case 'low':
    case 'ultralow':
      return value === level;
    case 'lost':
      return value === 'negative';
  }
}

const EXPRESSION_TEXT: Record<ExpressionLevel, (gene: string) => string> = {
  high: (g) => `${g} overexpression`,
  low: (g) => `${g} low expression`,
  ultralow: (g) => `${g} ultralow expression`,
  lost: (g) => `${g} loss of expression`,
};

/** Canonical text of a criterion: equal criteria print equal, so it can key a Biomarker node. */
export function criteriaToString(c: Criteria): string {
  switch (c.op) {
    case 'atom':
      return atomToString(c.atom);
    case 'not':
      return `NOT [${criteriaToString(c.of)}]`;
    case 'all':
    case 'any':
      return `${c.op.toUpperCase()} [${c.of.map(criteriaToString).join('; ')}]`;
  }
}

/** Genes whose alterations can satisfy a criterion positively (NOT branches excluded). */
export function positiveAtoms(c: Criteria, out: Atom[] = []): Atom[] {
  if (c.op === 'atom') out.push(c.atom);
  else if (c.op === 'all' || c.op === 'any') for (const x of c.of) positiveAtoms(x, out);
  return out;
}

/**
 * The one protein position an atom names (a position, or a change, which names its position), or undefined: only a
 * mutation at that position can meet it (match-biomarkers.ts, matchAtom).
 */
export function atomPosition(a: Atom): number | undefined {
  return a.type === 'position' ? a.pos : a.type === 'change' ? a.change.pos : undefined;
}

export function atomGene(a: Atom): string {
  switch (a.type) {
    case 'msi-high':
      return 'MSI';
    case 'mmr-deficient':
      return 'MMR';
    case 'tmb':
      return 'TMB';
    case 'hrd':
      return 'HRD';
    default:
      return a.gene;
  }
}

/**
 * The text form of a profile (DESIGN §5): alterations separated by `;`, `,` or
 * new lines, as a tumour board writes them:
 *
 *   BRAF V600E; BRAF p.Val600Glu; EGFR exon 19 deletion; EGFR E746_A750del
 *   ERBB2 amp; CDKN2A loss; EML4::ALK; EML4-ALK fusion; ALK fusion
 *   MET exon 14 skipping; MSI-H; MSS; dMMR; TMB 14.2; TMB-high; HRD
 *
 * Canonical keys are accepted too (`BRAF:p.V600E`, `ERBB2:amp`, `MSI:high`),
 * so a key printed by mtbnet reads back. Optional header lines set the case:
 * `id: case-001`, `tumour: LUAD`. Lines starting with `#` are comments.
 * Trailing notes in parentheses are read when they say VAF, copies or origin:
 * `KRAS G12D (VAF 23%)`, `ERBB2 amplification (12 copies)`, `BRCA2 R3052W (germline)`.
 */
import { InvalidInputError } from '../domain/errors.ts';
import { GENE_SYMBOL, identityGenes, type GeneResolver } from '../domain/alteration.ts';
import { CASE_ID } from '../domain/profile.ts';
import { parseProteinChange } from '../domain/protein.ts';
import { MAX_ALTERATIONS, ProfileBuilder, checkTumourType } from './builder.ts';
import { knowsGene } from './genes.ts';
import type { ReadResult } from './types.ts';

const MODULE = 'profile/text';

export interface TextOptions {
  /** Profile id (overridden by an `id:` line). Default `profile`. */
  id?: string;
  /** OncoTree code; overrides a `tumour:` line (CLI --tumour). */
  tumourType?: string;
  genes?: GeneResolver;
  /** Unreadable items become warnings instead of an error. */
  lenient?: boolean;
}

/** What one item of text says, before normalisation: an alteration input, or a reason it is not one. */
export type TextItem =
  | { ok: true; input: Record<string, unknown>; note?: string }
  | { ok: false; problem: string }
  | { ok: 'skip'; note: string };

const HEADER = /^(id|case|case id|tumou?r|tumou?r type|tumou?rtype|oncotree|oncotree code)\s*[:=]\s*(.*)$/i;

/**
 * Most items a text profile may hold: four times the alterations a profile may hold (MAX_ALTERATIONS), room for
 * repeats and header lines. A pasted list is a few dozen; reading each item costs a few microseconds on the server's
 * one thread, so a text of more (16 MB of lines took 7 s) stops at once instead of holding every other request.
 */
export const MAX_TEXT_ITEMS = 4 * MAX_ALTERATIONS;

/**
 * Split text into items with their 1-based line numbers. Commas between digits (`TMB 14,2`) do not split. With
 * `limit`, stops after the item past it (the caller tells the user).
 */
export function splitItems(text: string, limit = Infinity): Array<{ line: number; item: string; index: number }> {
  const out: Array<{ line: number; item: string; index: number }> = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length && out.length <= limit; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('//')) continue;
    if (HEADER.test(line)) {
      out.push({ line: i + 1, item: line, index: 0 });
      continue;
    }
    const parts = line.split(/;|(?<!\d),|,(?!\d)|\t/);
    let index = 0;
    for (let k = 0; k < parts.length && out.length <= limit; k++) {
      const item = parts[k]!.trim();
      if (item !== '') out.push({ line: i + 1, item, index: index++ });
    }
  }
  return out;
}

/**
 * Parse pasted text into a profile. Every unreadable item is reported with its
 * line (InvalidInputError listing them all), unless `lenient`, where they
 * become warnings.
 */
export function parseTextProfile(text: string, options: TextOptions = {}): ReadResult {
  if (typeof text !== 'string') throw new InvalidInputError(`${MODULE}: expected text`, [{ message: 'the profile text is missing' }]);
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) {
    const line = text.slice(0, text.search(/[\u0000-\u0008\u000e-\u001f]/)).split(/\n/).length;
    throw new InvalidInputError(`${MODULE}: this is not text`, [
      { line, message: 'the input contains control characters: it looks like a binary file (a gzip or BAM?), not a list of alterations' },
    ]);
  }
  const genes = options.genes ?? identityGenes;
  let id = options.id ?? 'profile';
  let tumourType = options.tumourType;
  const items = splitItems(text, MAX_TEXT_ITEMS);
  if (items.length > MAX_TEXT_ITEMS) {
    throw new InvalidInputError(`${MODULE}: too many items`, [
      {
        line: items[MAX_TEXT_ITEMS]!.line,
        message: `more than ${MAX_TEXT_ITEMS.toLocaleString('en')} items in one text profile (a profile holds at most ${MAX_ALTERATIONS.toLocaleString('en')} alterations): send the VCF or MAF itself, or rank many profiles with mtbnet batch`,
      },
    ]);
  }
  const headerErrors: Array<{ line: number; path: string; message: string }> = [];
  const body: typeof items = [];
  for (const it of items) {
    const h = it.item.match(HEADER);
    if (!h) {
      body.push(it);
      continue;
    }
    const field = h[1]!.toLowerCase();
    const value = h[2]!.trim();
    if (field.startsWith('id') || field.startsWith('case')) {
      if (!CASE_ID.test(value)) headerErrors.push({ line: it.line, path: 'id', message: `"${value}" is not a pseudonymous case ID (letters, digits, . _ : -; at most 64)` });
      else if (options.id === undefined) id = value;
    } else if (options.tumourType === undefined) {
      tumourType = value;
    }
  }
  try {
    tumourType = checkTumourType(tumourType, 'tumourType', MODULE, items.find((i) => /^(tumou?r|oncotree)/i.test(i.item))?.line);
  } catch (err) {
    if (options.tumourType !== undefined || !(err instanceof InvalidInputError)) throw err;
    headerErrors.push({ line: err.details[0]!.line ?? 0, path: 'tumourType', message: err.details[0]!.message });
    tumourType = undefined;
  }
  const b = new ProfileBuilder({ id, tumourType, genes, lenient: options.lenient, module: MODULE });
  for (const e of headerErrors) b.error(e.message, { line: e.line, path: e.path });
  if (body.length === 0 && headerErrors.length === 0) {
    throw new InvalidInputError(`${MODULE}: no alterations`, [
      { line: 1, message: 'the text is empty: write alterations such as "EGFR L858R; ERBB2 amplification; MSI-H"' },
    ]);
  }
  const multi = new Set<number>();
  const perLine = new Map<number, number>();
  for (const it of body) perLine.set(it.line, (perLine.get(it.line) ?? 0) + 1);
  for (const [line, n] of perLine) if (n > 1) multi.add(line);
  for (const it of body) {
    b.stats.records++;
    const where = { line: it.line, path: multi.has(it.line) ? `item ${it.index + 1} "${clip(it.item)}"` : `"${clip(it.item)}"` };
    const r = parseTextItem(it.item, genes);
    if (r.ok === true) {
      if (r.note) b.warn(r.note, where);
      b.add({ ...r.input, source: clip(it.item, 200) }, where);
    } else if (r.ok === 'skip') {
      b.stats.skipped++;
      b.warn(r.note, where);
    } else b.error(r.problem, where);
  }
  return b.finish();
}

function clip(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

// --- one item --------------------------------------------------------------

const AMP = /^(amp|amps|amplification|amplifications|amplified|copy[- ]?number[- ]?gain|high[- ]level[- ]gain|high[- ]level[- ]amplification|focal amplification|cn[- ]?gain|gain|gains)$/;
const DEL = /^(del|deletion|deletions|deleted|loss|losses|homozygous[- ]deletion|homozygous[- ]loss|homdel|hom[- ]?del|deep[- ]deletion|biallelic[- ](loss|deletion)|copy[- ]?number[- ]?loss|cn[- ]?loss|heterozygous[- ](deletion|loss)|shallow[- ]deletion)$/;
const EXPR_HIGH = /^(overexpression|over[- ]expression|overexpressed|high[- ]expression|expression[- ]high|expression|high|positive|pos|\+|ihc\s*3\+|3\+)$/;
const EXPR_LOW = /^(low[- ]expression|expression[- ]low|low|underexpression|negative|neg|-)$/;
/** HER2-ultralow: IHC 0 with faint, incomplete staining in at most 10% of tumour cells. */
const EXPR_ULTRALOW = /^(ultra[- ]?low|ultra[- ]?low[- ]expression)$/;
/** No protein by immunohistochemistry (PTEN, MTAP, SMARCB1 loss): not a deletion, which `loss` alone reads as. */
const EXPR_LOST = /^(loss of (protein )?expression|expression loss|(ihc|protein) loss|loss by ihc|lost expression|no expression|not expressed)$/;
/**
 * A HER2 immunohistochemistry score, with the in situ hybridisation result where one was done: `IHC 1+`,
 * `IHC 2+ ISH-`, `2+ / FISH negative`, `IHC 3+`.
 */
const HER2_IHC = /^(?:ihc[ :]*)?(0|1\+|2\+|3\+)(?:\s*\/?\s*(?:ish|fish|sish|cish|ddish)[ :]*(positive|pos|amplified|\+|negative|neg|not amplified|non[- ]amplified|-))?$/;
const HER2_NAMES = /^(her2|her-2|erbb2|neu)$/i;
/** Promoter methylation as methylation assays report it (MGMT in glioma): `promoter methylation`, `methylated`, `unmethylated`. */
const METHYLATED = /^(promoter[- ])?(hyper)?methylat(ion|ed)([- ](positive|detected|present))?$/;
const UNMETHYLATED = /^(promoter[- ])?(unmethylated|non[- ]?methylated|methylation[- ](negative|not detected|absent))$/;
const FUSION = /^(fusion|fusions|rearrangement|rearrangements|rearranged|translocation|translocated|fusion[- ]positive|gene fusion)$/;
/**
 * Words that make a line a negative finding ("BRAF V600E negative", "FLT3-ITD not detected"): the rest of
 * the line names an alteration that was looked for and not found, so it must never be read as present.
 */
const NEGATIVE_FINDING = /\b(negative|neg|wild[- ]?type|wt|absent|not[- ]detected|not[- ]found|undetected|none[- ]detected|no[- ]mutation)\b/i;

const GENE_LEVEL = /^(mutation|mutations|mutated|mutant|mut|variant|snv|indel|loss[- ]of[- ]function|lof|truncating|truncating mutation|activating mutation|pathogenic|pathogenic variant|wild[- ]?type|wt|negative for mutation)$/;

/** Annotations in parentheses or after the change: VAF, copies, germline/somatic. */
function takeNotes(s: string): { rest: string; vaf?: number; copies?: number; origin?: 'somatic' | 'germline'; problems: string[] } {
  const problems: string[] = [];
  let vaf: number | undefined;
  let copies: number | undefined;
  let origin: 'somatic' | 'germline' | undefined;
  const read = (note: string): boolean => {
    const n = note.trim().toLowerCase();
    let m: RegExpMatchArray | null;
    if ((m = n.match(/^(?:vaf|af|allele frequency)\s*[:=]?\s*(\d+(?:[.,]\d+)?)\s*(%)?$/)) || (m = n.match(/^(\d+(?:[.,]\d+)?)\s*(%)\s*(?:vaf|af)?$/))) {
      let v = Number(m[1]!.replace(',', '.'));
      if (m[2] === '%' || v > 1) v = v / 100;
      if (!(v >= 0 && v <= 1)) problems.push(`VAF "${note.trim()}" must be between 0 and 100%`);
      else vaf = Math.round(v * 10000) / 10000;
      return true;
    }
    if ((m = n.match(/^(?:cn|copies|copy number)\s*[:=]?\s*(\d+(?:\.\d+)?)$/)) || (m = n.match(/^(\d+(?:\.\d+)?)\s*(?:copies|copy|x)$/))) {
      copies = Number(m[1]);
      return true;
    }
    if (/^(germline|germ-line|constitutional|gl)$/.test(n)) return (origin = 'germline'), true;
    if (/^(somatic|tumou?r)$/.test(n)) return (origin = 'somatic'), true;
    return false;
  };
  let rest = s;
  // parenthesised notes: "(VAF 23%)", "(12 copies, germline)"
  rest = rest.replace(/\(([^()]*)\)/g, (whole, inner: string) => {
    const parts = inner.split(/[;,]/).map((p) => p.trim()).filter(Boolean);
    if (parts.length > 0 && parts.every((p) => read(p))) return ' ';
    return whole;
  });
  // trailing notes without parentheses: "KRAS G12D VAF 0.23", "KRAS G12D 23%", "BRCA2 ... germline"
  for (;;) {
    const m = rest.match(/\s+((?:vaf|af)\s*[:=]?\s*\d+(?:[.,]\d+)?\s*%?|\d+(?:[.,]\d+)?\s*%|germline|somatic)\s*$/i);
    if (!m || !read(m[1]!)) break;
    rest = rest.slice(0, m.index);
  }
  return { rest: rest.replace(/\s+/g, ' ').trim(), vaf, copies, origin, problems };
}

/** Signatures: MSI-H, MSS, dMMR, TMB 14.2, TMB-high, HRD, and the canonical `MSI:high`. */
function parseSignature(s: string): TextItem | undefined {
  const t = s.toLowerCase().replace(/[_\s]+/g, ' ').trim();
  const sig = (name: string, value: string | number, note?: string): TextItem => ({ ok: true, input: { kind: 'signature', name, value }, note });
  if (/^(msi[- ]?h|msi[- ]?high|msi[:=]\s*high|microsatellite[- ]instab(le|ility)([- ]?(high|h))?|msi[- ]?positive|msi\+)$/.test(t)) return sig('MSI', 'high');
  if (t === 'msi' || t === 'msi status') return sig('MSI', 'high', 'read "MSI" as MSI-H (microsatellite instability-high)');
  if (/^(mss|msi[- ]?s|msi[- ]?stable|msi[:=]\s*stable|microsatellite[- ]stable|msi[- ]?negative)$/.test(t)) return sig('MSI', 'stable');
  if (/^(msi[- ]?l|msi[- ]?low|msi[:=]\s*low)$/.test(t)) return sig('MSI', 'low');
  if (/^(dmmr|mmr[- ]?d|mmr[- ]?deficient|mmr[- ]?deficiency|mmr[:=]\s*deficient|mismatch[- ]repair[- ]deficien(t|cy)|mmr[- ]?loss)$/.test(t)) return sig('MMR', 'deficient');
  if (/^(pmmr|mmr[- ]?p|mmr[- ]?proficient|mmr[:=]\s*proficient|mismatch[- ]repair[- ]proficient|mmr[- ]?intact)$/.test(t)) return sig('MMR', 'proficient');
  if (/^(hrd|hrd[- ]?(positive|pos|high|\+)|hrd[:=]\s*positive|hr[- ]?deficient|homologous[- ]recombination[- ]deficien(t|cy)(\s*\(hrd\))?)$/.test(t)) return sig('HRD', 'positive');
  if (/^(hrd[- ]?(negative|neg|low|-)|hrd[:=]\s*negative|hr[- ]?proficient)$/.test(t)) return sig('HRD', 'negative');
  if (/^hrd\b/.test(t)) return { ok: false, problem: 'HRD must be written as "HRD", "HRD positive" or "HRD negative"' };
  // TMB
  const tmb = t.match(/^(?:tmb|tumou?r mutation(?:al)? burden)\s*(?:[:=]|is)?\s*[- ]?\s*(.*)$/);
  if (tmb) {
    const v = tmb[1]!.trim();
    if (/^(high|h|hi)$/.test(v)) return sig('TMB', 'high');
    if (/^(low|l|lo|intermediate|int)$/.test(v)) return { ok: 'skip', note: `TMB "${v}" without a number was not kept: give the value in mutations per megabase (e.g. TMB 4.1)` };
    const n = v.match(/^(?:>=|≥|>)?\s*(\d+(?:[.,]\d+)?)\s*(?:mut(?:ation)?s?\s*\/\s*mb|muts?\/mb|\/\s*mb|mb-1|mut\/mb)?$/);
    if (n) return sig('TMB', Number(n[1]!.replace(',', '.')));
    return { ok: false, problem: `TMB value "${v}" is not a number of mutations per megabase (write e.g. "TMB 14.2" or "TMB-high")` };
  }
  // canonical signature key MSI:high, MMR:deficient, HRD:positive (TMB handled above)
  const key = s.trim().match(/^(MSI|MMR|HRD)\s*:\s*(\S+)$/i);
  if (key) return sig(key[1]!.toUpperCase(), key[2]!);
  return undefined;
}

/** A symbol that looks like a gene: letters and digits, at least one letter. */
function looksLikeGene(s: string): boolean {
  return GENE_SYMBOL.test(s) && /[A-Za-z]/.test(s) && s.length >= 2 && !/^[cgp]\./i.test(s);
}

/** Well-known hyphenated symbols, so `NKX2-1 amplification` is not read as a fusion. */
function isHyphenatedGene(token: string, genes: GeneResolver): boolean {
  const known = knowsGene(genes, token);
  if (known !== undefined) return known;
  // Without a table: HGNC hyphenated symbols end in a digit group or are HLA-*.
  return /^HLA-/i.test(token) || /-\d+[A-Z]?$/i.test(token);
}

const FUSION_WORD = /\s+(fusion|fusions|rearrangement|translocation|gene fusion|fusion positive)$/i;

function parseFusion(s: string, genes: GeneResolver): TextItem | undefined {
  const word = FUSION_WORD.test(s);
  const core = s.replace(FUSION_WORD, '').trim();
  const m = core.match(/^(\S+?)\s*(::|--|\/|-|–)\s*(\S+)$/);
  if (!m) return undefined;
  const [five, sep, three] = [m[1]!, m[2]!, m[3]!];
  if (sep !== '::' && sep !== '--') {
    // "NKX2-1 amplification", "HLA-A", "PD-L1": one gene with a hyphen, not two
    if (!/\s/.test(core) && isHyphenatedGene(core, genes)) return undefined;
    if (/^\d+[A-Za-z]?$/.test(three)) return undefined;
    if (!word && !(looksLikeGene(five) && looksLikeGene(three))) return undefined;
  }
  if (!looksLikeGene(five) || !looksLikeGene(three)) {
    return { ok: false, problem: `fusion "${s}" must name two gene symbols, 5' partner first (e.g. EML4::ALK)` };
  }
  return { ok: true, input: { kind: 'fusion', gene: three, partner: five } };
}

/** "ERBB2-amplified", "ALK-rearranged", "HER2-positive": the hyphen joins a gene and an event. */
const HYPHEN_EVENT = /^(\S+?)-(amplified|amplification|amp|positive|negative|rearranged|rearrangement|fusion|mutant|mutated|mutation|high|low|ultralow|ultra-low|deleted|deletion|loss|overexpression|overexpressed|null|deficient|(?:promoter-)?(?:un)?methylated)$/i;

/**
 * Read one item (`BRAF V600E`, `ERBB2 amp`, `EML4::ALK`, `MSI-H`) into an
 * alteration input. Pure: normalisation and validation happen after.
 */
export function parseTextItem(item: string, genes: GeneResolver = identityGenes): TextItem {
  const notes = takeNotes(item.replace(/\s+/g, ' ').trim());
  if (notes.problems.length > 0) return { ok: false, problem: notes.problems.join('; ') };
  const s = notes.rest;
  if (s === '') return { ok: false, problem: 'nothing to read' };
  const extra: Record<string, unknown> = {};
  if (notes.vaf !== undefined) extra.vaf = notes.vaf;
  if (notes.origin !== undefined) extra.origin = notes.origin;
  const withExtra = (r: TextItem): TextItem => {
    if (r.ok !== true) return r;
    const input = { ...r.input };
    if (input.kind !== 'signature') Object.assign(input, extra);
    if (notes.copies !== undefined && (input.kind === 'amplification' || input.kind === 'deletion')) input.copies = notes.copies;
    return { ...r, input };
  };

  const sig = parseSignature(s);
  if (sig) return sig;

  // canonical keys: BRAF:p.V600E, ERBB2:amp, CDKN2A:del, ALK:fusion, ERBB2:expr:high
  const canon = s.match(/^([A-Za-z0-9][A-Za-z0-9._-]*):(?!:)\s*(.+)$/);
  if (canon && !/::/.test(s)) {
    const [gene, spec] = [canon[1]!, canon[2]!.trim()];
    const expr = spec.match(/^expr:(high|low|ultralow|positive|negative)$/i);
    if (expr) return withExtra({ ok: true, input: { kind: 'expression', gene, value: expr[1]!.toLowerCase() } });
    if (/^(methylated|unmethylated)$/i.test(spec)) return withExtra({ ok: true, input: { kind: 'methylation', gene, value: spec.toLowerCase() } });
    return withExtra(parseGeneSpec(gene, spec, s));
  }

  // "FLT3-ITD", "FLT3-ITD negative": the hyphen joins the gene and its ITD, whatever follows.
  const itd = s.match(/^([A-Za-z0-9]+)-(ITD)(?:\s+(.+))?$/i);
  if (itd && looksLikeGene(itd[1]!)) return withExtra(parseGeneSpec(itd[1]!, itd[3] ? `${itd[2]} ${itd[3]}` : itd[2]!, s));

  const hyphenEvent = s.match(HYPHEN_EVENT);
  if (hyphenEvent && looksLikeGene(hyphenEvent[1]!)) return withExtra(parseGeneSpec(hyphenEvent[1]!, hyphenEvent[2]!, s));

  const fusion = parseFusion(s, genes);
  if (fusion) return withExtra(fusion);

  // gene then spec; also "METex14", "EGFRex19del", "BRAFV600E"
  let m = s.match(/^(\S+)\s+(.+)$/);
  if (!m) {
    // only with a gene table, and only when the glued gene is known and the whole token is not
    const glued = s.match(/^([A-Z][A-Z0-9]*?[A-Z]\d*?)(ex(?:on)?\s*\d+\w*|p\.\S+|[A-Z]\d+(?:[A-Z*]|fs\S*|del\S*|ins\S*|dup))$/);
    if (glued && knowsGene(genes, glued[1]!) === true && knowsGene(genes, s) === false) {
      m = ['', glued[1]!, glued[2]!] as unknown as RegExpMatchArray;
    }
  }
  if (!m) {
    if (looksLikeGene(s)) {
      const g = s.toUpperCase();
      return { ok: false, problem: `"${s}" names a gene but no alteration: add the protein change or the event after it (e.g. "${g} amplification", "${g} deletion", "${g} fusion")` };
    }
    return { ok: false, problem: `"${s}" is not an alteration we can read (expected e.g. "BRAF V600E", "ERBB2 amplification", "EML4::ALK", "MSI-H", "TMB 14.2")` };
  }
  return withExtra(parseGeneSpec(m[1]!, m[2]!, s));
}

const HER2_NEGATIVE_NOTE =
  'HER2 negative read as no HER2 expression (IHC 0): if the score was IHC 1+, or 2+ without amplification by ISH, enter "HER2-low", and for faint staining in up to 10% of cells "HER2-ultralow" (trastuzumab deruxtecan is approved for HER2-low breast cancer, and for HER2-ultralow when hormone receptor-positive)';

/** A HER2 IHC score (with ISH) as the expression value the evidence names; undefined when the spec is not one. */
function readHer2Score(gene: string, lower: string): TextItem | undefined {
  const m = lower.match(HER2_IHC);
  if (!m) return undefined;
  const [score, ish] = [m[1]!, m[2]];
  const amplified = ish === undefined ? undefined : !/^(negative|neg|not amplified|non[- ]amplified|-)$/.test(ish);
  // Amplification by ISH makes the tumour HER2-positive whatever the IHC score (ASCO/CAP 2018, ISH group 1).
  if (amplified && (score === '0' || score === '1+')) {
    return { ok: true, input: { kind: 'expression', gene, value: 'positive' }, note: `HER2 IHC ${score} with amplification by ISH read as HER2-positive (ISH amplification decides); check that the report is concordant` };
  }
  switch (score) {
    case '0':
      return { ok: true, input: { kind: 'expression', gene, value: 'negative' }, note: HER2_NEGATIVE_NOTE };
    case '1+':
      return { ok: true, input: { kind: 'expression', gene, value: 'low' } };
    case '2+':
      if (amplified === undefined) {
        return {
          ok: false,
          problem: `HER2 IHC 2+ is equivocal: add the ISH result in the same item ("HER2 IHC 2+ ISH-" is HER2-low, "HER2 IHC 2+ ISH+" HER2-positive; a comma would start another alteration)`,
        };
      }
      return amplified
        ? { ok: true, input: { kind: 'expression', gene, value: 'positive' }, note: 'HER2 IHC 2+ with amplification by ISH read as HER2-positive' }
        : { ok: true, input: { kind: 'expression', gene, value: 'low' } };
    default:
      return { ok: true, input: { kind: 'expression', gene, value: 'high' } };
  }
}

function parseGeneSpec(gene: string, specRaw: string, whole: string): TextItem {
  if (!looksLikeGene(gene)) {
    return { ok: false, problem: `"${gene}" is not a gene symbol (expected an HGNC symbol such as EGFR at the start of "${whole}")` };
  }
  let spec = specRaw.trim().replace(/\s+/g, ' ');
  const lower = spec.toLowerCase();
  if (AMP.test(lower)) {
    const note = /gain/.test(lower) ? `"${spec}" read as amplification` : undefined;
    return { ok: true, input: { kind: 'amplification', gene }, note };
  }
  if (DEL.test(lower)) {
    const note = /heterozygous|shallow/.test(lower) ? `"${spec}" read as deletion (evidence usually requires homozygous deletion)` : undefined;
    return { ok: true, input: { kind: 'deletion', gene }, note };
  }
  if (FUSION.test(lower)) return { ok: true, input: { kind: 'fusion', gene } };
  if (HER2_NAMES.test(gene)) {
    const her2 = readHer2Score(gene, lower);
    if (her2) return her2;
  }
  if (EXPR_ULTRALOW.test(lower)) return { ok: true, input: { kind: 'expression', gene, value: 'ultralow' } };
  if (EXPR_LOST.test(lower)) return { ok: true, input: { kind: 'expression', gene, value: 'negative' } };
  if (EXPR_HIGH.test(lower)) return { ok: true, input: { kind: 'expression', gene, value: /positive|pos|\+/.test(lower) && !/ihc|3\+/.test(lower) ? 'positive' : 'high' } };
  if (EXPR_LOW.test(lower)) {
    // By the word that matched: a hyphen in "low-expression" is no negative result.
    const value = /^(negative|neg|-)$/.test(lower) ? 'negative' : 'low';
    if (lower === 'underexpression' && HER2_NAMES.test(gene)) {
      return { ok: false, problem: `"${whole}" does not say which HER2 result: write HER2-low (IHC 1+, or 2+ ISH-), HER2-ultralow, or HER2 IHC 0` };
    }
    // A report's "HER2-negative" often means "not HER2-positive", which includes HER2-low.
    const note = value === 'negative' && HER2_NAMES.test(gene) ? HER2_NEGATIVE_NOTE : undefined;
    return { ok: true, input: { kind: 'expression', gene, value }, note };
  }
  if (METHYLATED.test(lower)) return { ok: true, input: { kind: 'methylation', gene, value: 'methylated' } };
  if (UNMETHYLATED.test(lower)) return { ok: true, input: { kind: 'methylation', gene, value: 'unmethylated' } };
  if (GENE_LEVEL.test(lower)) {
    return { ok: false, problem: `"${whole}" does not say which change: give the protein change (e.g. "${gene.toUpperCase()} G12D") or an event (amplification, deletion, fusion)` };
  }
  // A change followed by a negative result ("V600E negative", "ITD not detected") was looked for and not found.
  const negative = NEGATIVE_FINDING.exec(spec);
  if (negative) {
    return {
      ok: false,
      problem: `"${whole}" reads as a negative result ("${negative[0]}"): list only the alterations that were found, and leave this line out`,
    };
  }
  // Exon-level wording: "ex19del", "exon 19 del mutation", "exon 20 ins", "ex14 skipping"
  spec = spec
    .replace(/\b(?:mutation|mutations|mut|variant|alteration)$/i, '')
    .trim()
    .replace(/^ex(?:on)?\s*(\d+)\s*/i, 'exon $1 ')
    .trim();
  if (/^exon \d+$/i.test(spec) && gene.toUpperCase() === 'MET') spec = `${spec} skipping`;
  const direct = parseProteinChange(spec);
  if (direct) return { ok: true, input: { kind: 'mutation', gene, change: spec } };
  // Several tokens ("c.1799T>A p.V600E", "V600E missense"): use the protein token.
  const tokens = spec.split(/[\s;|]+/).filter(Boolean);
  const pTok = tokens.find((t) => /^p\./i.test(t) && parseProteinChange(t)) ?? tokens.find((t) => parseProteinChange(t));
  if (pTok) return { ok: true, input: { kind: 'mutation', gene, change: pTok }, note: tokens.length > 1 ? `read "${spec}" as ${gene.toUpperCase()} ${pTok}` : undefined };
  if (tokens.some((t) => /^[cg]\./i.test(t))) {
    return { ok: false, problem: `"${spec}" is DNA notation: give the protein change (e.g. "p.V600E"); coding (c.) changes are not matched to evidence` };
  }
  return {
    ok: false,
    problem: `"${spec}" is not a protein change or event we can read (expected e.g. V600E, p.Val600Glu, E746_A750del, R213*, exon 19 deletion, amplification, loss, fusion)`,
  };
}

/**
 * CIViC variants / molecular profiles and CGI alterations -> our criteria
 * language (server/domain/criteria.ts) and, where the variant is one concrete
 * alteration, the profile alteration a patient with it would have (for the
 * validation). Everything not understood is returned with a reason, never guessed.
 *
 *   BRAF V600E                 -> `BRAF V600E`                        (exact; profile BRAF V600E)
 *   KRAS G12                   -> `KRAS G12`                          (position)
 *   EGFR EXON 19 DELETION      -> `EGFR exon 19 deletion`             (category; profile EGFR exon19del)
 *   KIT EXON 11 MUTATION       -> `KIT exon 11 mutation`              (category; profile: its representative
 *                                                                    change when the caller gives one, e.g. KIT V560D)
 *   ERBB2 AMPLIFICATION        -> `ERBB2 amplification`
 *   ALK EML4-ALK               -> `EML4::ALK fusion`
 *   ABL1 BCR-ABL T315I         -> {all: [BCR::ABL1 fusion, ABL1 T315I]}
 *   BRCA2 LOSS-OF-FUNCTION     -> `BRCA2 loss-of-function`           (class; the same)
 *   EGFR MUTATION              -> `EGFR mutation`                     (gene level: no single alteration)
 *   KRAS G12/G13               -> {any: [KRAS G12, KRAS G13]}
 *   current layout: `BCR::ABL1 Fusion AND ABL1 T315I`, `v::ALK Fusion`, `EGFR L858R OR EGFR T790M`
 */
import type { AlterationInput } from '../domain/alteration.ts';
import { parseCriteria, type CriteriaSource } from '../domain/criteria.ts';
import { parseProteinChange } from '../domain/protein.ts';
import type { GeneResolver } from '../domain/alteration.ts';

export type VariantKind = 'mutation' | 'cna' | 'fusion' | 'expression' | 'methylation' | 'signature' | 'compound';

export interface MappedVariant {
  ok: true;
  criteria: CriteriaSource;
  kind: VariantKind;
  /** The alterations of a patient with this variant, when it is one concrete variant (or a fusion plus a mutation). */
  alterations?: AlterationInput[];
  /** Why there is no single profile for it (category, gene-level, ...). */
  noProfile?: string;
  genes: string[];
}
export interface UnmappedVariant {
  ok: false;
  reason: string;
}
export type VariantMapping = MappedVariant | UnmappedVariant;

interface Part {
  criteria: CriteriaSource;
  kind: Exclude<VariantKind, 'compound'>;
  alterations?: AlterationInput[];
  noProfile?: string;
  genes: string[];
}
type PartResult = Part | { reason: string };

// HGNC symbols may hold hyphens (H3-3A, HLA-DRA, NKX2-1) and dots (C19orf40 is old, but C1orf.1-like aliases exist).
const GENE_TOKEN = /^[A-Za-z0-9][A-Za-z0-9.]*(?:-[A-Za-z0-9.]+)*$/;
const upperGene = (g: string) => g.toUpperCase();

/** Representative exact change at a position (e.g. the most cited one), for a position-level variant. */
export type Representative = (gene: string, ref: string, pos: number) => string | undefined;

/**
 * Representative exact change of a category or gene-level class (`KIT exon 11
 * mutation`, `BRCA2 loss-of-function`), e.g. the most cited change of the same
 * release that meets the criterion: what a category-level item stands for in a patient.
 */
export type CategoryRepresentative = (gene: string, criteria: string) => string | undefined;

export interface VariantOptions {
  genes?: GeneResolver;
  representative?: Representative;
  category?: CategoryRepresentative;
}

/** A category part: one patient's alteration when a representative change is known, otherwise no profile and why. */
function categoryPart(g: string, criteria: string, noProfile: string, opts: VariantOptions): Part {
  const rep = opts.category?.(g, criteria);
  return rep
    ? { criteria, kind: 'mutation', alterations: [{ kind: 'mutation', gene: g, change: rep }], genes: [g] }
    : { criteria, kind: 'mutation', noProfile, genes: [g] };
}

/** Upper-case HGVS keywords of CIViC names (`Y772_A775DUP`, `K159FS*16`) to the parser's form. */
function normaliseChange(s: string): string {
  return s
    .replace(/\s*\((?:c|p|g)\.[^)]*\)\s*$/i, '')
    .replace(/(\d)(DELINS|DEL|INS|DUP|FS)/g, (_m, d: string, k: string) => `${d}${k.toLowerCase()}`)
    .replace(/^([A-Z]\d+_[A-Z]\d+)>([A-Z]+)$/, '$1delins$2')
    .trim();
}

function exactPart(gene: string, spec: string): PartResult | undefined {
  const s = normaliseChange(spec);
  if (/^[A-Z]\d+$/.test(s)) return undefined; // position, handled by the caller
  const p = parseProteinChange(s);
  if (!p) return undefined;
  if (p.type === 'synonymous') return { reason: `synonymous change "${spec}"` };
  const text = `${gene} ${p.canonical}`;
  try {
    parseCriteria(text);
  } catch {
    return { reason: `"${text}" is not a criterion` };
  }
  return { criteria: text, kind: 'mutation', alterations: [{ kind: 'mutation', gene, change: p.canonical }], genes: [gene] };
}

const WORDS: Array<{ re: RegExp; build: (gene: string, m: RegExpMatchArray, opts: VariantOptions) => PartResult }> = [
  { re: /^(amplification|amp|copy number gain|gain)$/i, build: (g) => ({ criteria: `${g} amplification`, kind: 'cna', alterations: [{ kind: 'amplification', gene: g }], genes: [g] }) },
  {
    re: /^(loss|deletion|del|homozygous deletion|copy number loss|deep deletion)$/i,
    build: (g) => ({ criteria: `${g} deletion`, kind: 'cna', alterations: [{ kind: 'deletion', gene: g }], genes: [g] }),
  },
  {
    re: /^(loss[- ]of[- ]function|deleterious mutation|frameshift truncation|frameshift mutation|truncating mutation|inactivating mutation|biallelic inactivation|nonsense mutation|oncogenic mutation)$/i,
    build: (g, _m, o) => categoryPart(g, `${g} loss-of-function`, 'gene-level loss of function (no single variant)', o),
  },
  { re: /^(mutation|mutations|mutant|alteration|any mutation)$/i, build: (g) => ({ criteria: `${g} mutation`, kind: 'mutation', noProfile: 'gene-level mutation (no single variant)', genes: [g] }) },
  { re: /^(activating mutation|gain[- ]of[- ]function)$/i, build: (g, _m, o) => categoryPart(g, `${g} activating mutation`, 'activating-mutation category (no single variant)', o) },
  { re: /^(expression|overexpression|high expression|positive|over)$/i, build: (g) => ({ criteria: `${g} overexpression`, kind: 'expression', alterations: [{ kind: 'expression', gene: g, value: 'high' }], genes: [g] }) },
  {
    re: /^(promoter )?(hyper)?methylation$/i,
    build: (g) => ({ criteria: `${g} promoter methylation`, kind: 'methylation', alterations: [{ kind: 'methylation', gene: g, value: 'methylated' }], genes: [g] }),
  },
  { re: /^(fusion|fusions|rearrangement|rearrangements|translocation)$/i, build: (g) => ({ criteria: `${g} fusion`, kind: 'fusion', alterations: [{ kind: 'fusion', gene: g }], genes: [g] }) },
  { re: /^(kinase domain mutation|tkd mutation|kinase-domain mutation)$/i, build: (g, _m, o) => categoryPart(g, `${g} kinase-domain mutation`, 'kinase-domain category (no single variant)', o) },
  {
    re: /^exon (\d+) (mutation|mutations|deletion|insertion|indel)s?$/i,
    build: (g, m, o) => {
      const variant = m[2]!.toLowerCase().replace(/s$/, '');
      const crit = `${g} exon ${Number(m[1])} ${variant === 'mutations' ? 'mutation' : variant}`;
      // An in-frame deletion or insertion of an exon is how labs report EGFR exon 19 / 20 events: a profile can carry it.
      if (variant === 'deletion' || variant === 'insertion') {
        return { criteria: crit, kind: 'mutation', alterations: [{ kind: 'mutation', gene: g, change: `exon ${Number(m[1])} ${variant}` }], genes: [g] };
      }
      return categoryPart(g, crit, `exon ${m[1]} category (no single variant)`, o);
    },
  },
  {
    re: /^exon (\d+) skipping( mutation)?$/i,
    build: (g, m) => ({ criteria: `${g} exon ${Number(m[1])} skipping`, kind: 'mutation', alterations: [{ kind: 'mutation', gene: g, change: `exon ${Number(m[1])} skipping` }], genes: [g] }),
  },
  {
    re: /^(itd|internal tandem duplication)$/i,
    build: (g) =>
      g === 'FLT3'
        ? { criteria: 'FLT3 juxtamembrane-domain mutation', kind: 'mutation', alterations: [{ kind: 'mutation', gene: g, change: 'ITD' }], genes: [g] }
        : { reason: `internal tandem duplication of ${g} is not in the criteria language` },
  },
];

/**
 * The criteria name HER2-low (`low expression`, IHC 1+ or 2+ without amplification) and protein loss by IHC
 * (`loss of expression`); an open release's "underexpression" (below normal tissue, by any assay) says neither.
 */
const UNDEREXPRESSION = 'underexpression is not mapped: the criteria name a low (HER2-low) or lost (IHC) level, which an underexpression call does not say';

const NOT_UNDERSTOOD: Array<[RegExp, string]> = [
  [/wild[- ]?type/i, 'wild-type biomarkers are not expressed in the criteria language'],
  [/under-?expression|low expression|loss of expression|negative/i, UNDEREXPRESSION],
  [/methylation/i, 'methylation other than of a promoter is not in the criteria language'],
  [/phosphorylation/i, 'phosphorylation is not a genomic alteration'],
  [/^rs\d+/i, 'germline polymorphism (rs id) is not in the criteria language'],
  [/^c\.|^g\.|\bc\.\d/i, 'cDNA-level variant: criteria name protein changes'],
  [/\*\d+[A-Z]?\b|homozygosity/i, 'pharmacogenomic star allele is not in the criteria language'],
  [/serum|levels|localization|mislocalization|translocation|isoform|transcript|splice variant|v\d+ expression|nuclear/i, 'not a genomic alteration the criteria language expresses'],
  [/^viii$/i, 'EGFRvIII is not in the criteria language'],
  [/loh|loss of heterozygosity/i, 'loss of heterozygosity is not in the criteria language'],
];

/** One part: a spec relative to a gene (`V600E`, `AMPLIFICATION`, `EML4-ALK`, `FUSION G1202R`). */
function mapSpec(gene: string, specRaw: string, opts: VariantOptions): PartResult {
  const resolve = (g: string) => (opts.genes ? opts.genes(g) : upperGene(g));
  const spec = specRaw.trim().replace(/\s+/g, ' ');
  if (spec === '') return { reason: 'empty variant' };

  // Fusions named by their partners: EML4-ALK, BCR-ABL T315I, EML4-ALK E6;A20, CD74-ROS1 G2032R
  const fus = spec.match(/^([A-Za-z0-9.]+)-([A-Za-z0-9.]+)(?:\s+(.*))?$/);
  if (fus && !/^\d/.test(fus[2]!) && !/^(of|function|loss|binding|type|like)$/i.test(fus[2]!) && !/^(gain|loss|wild|non|p|in|out)$/i.test(fus[1]!)) {
    const g = resolve(gene);
    // "BCR-ABL" under ABL1: a half that abbreviates the gene column is that gene
    const half = (h: string) => (resolve(h) !== g && g.startsWith(h.toUpperCase()) && h.length >= 3 ? g : resolve(h));
    const five = half(fus[1]!);
    const three = half(fus[2]!);
    if (five === g || three === g || fus[1]!.toUpperCase() === gene.toUpperCase() || fus[2]!.toUpperCase() === gene.toUpperCase()) {
      const fusion: Part = {
        criteria: `${five}::${three} fusion`,
        kind: 'fusion',
        alterations: [{ kind: 'fusion', gene: three, partner: five }],
        genes: [five, three],
      };
      const rest = fus[3]?.trim();
      if (!rest || /^[eE]\d+\s*[;-]\s*[aAeE]?\d+$/.test(rest) || /^[eE]\d+;[aA]\d+$/.test(rest)) return fusion;
      // a resistance mutation in the fusion's kinase: ALL [fusion, mutation]
      const kinase = five === g ? five : three;
      const mut = mapSpec(kinase, rest, opts);
      if ('reason' in mut) return mut;
      if (mut.kind !== 'mutation') return { reason: `fusion with "${rest}" is not understood` };
      return {
        criteria: { all: [fusion.criteria, mut.criteria] },
        kind: 'fusion',
        alterations: mut.alterations ? [...fusion.alterations!, ...mut.alterations] : undefined,
        noProfile: mut.noProfile,
        genes: [five, three],
      };
    }
  }
  // ALK FUSION G1202R, NTRK1 FUSIONS, FGFR2 fusions (gene repeated in the variant)
  const geneFusion = spec.match(/^([A-Za-z0-9.]+) (fusion|fusions|rearrangement)(?: (.+))?$/i);
  if (geneFusion && resolve(geneFusion[1]!) === resolve(gene)) {
    const base: Part = { criteria: `${resolve(gene)} fusion`, kind: 'fusion', alterations: [{ kind: 'fusion', gene: resolve(gene) }], genes: [resolve(gene)] };
    if (!geneFusion[3]) return base;
    const mut = mapSpec(gene, geneFusion[3], opts);
    if ('reason' in mut) return mut;
    return {
      criteria: { all: [base.criteria, mut.criteria] },
      kind: 'fusion',
      alterations: mut.alterations ? [...base.alterations!, ...mut.alterations] : undefined,
      noProfile: mut.noProfile,
      genes: base.genes,
    };
  }
  // FGFR2 mutations, NTRK1 FUSIONS written with the gene first
  const geneFirst = spec.match(/^([A-Za-z0-9.]+) (.+)$/);
  if (geneFirst && resolve(geneFirst[1]!) === resolve(gene) && geneFirst[1]!.toUpperCase() === geneFirst[1]!.toUpperCase() && /[A-Z]/.test(geneFirst[1]!)) {
    if (geneFirst[1]!.toUpperCase() === gene.toUpperCase()) return mapSpec(gene, geneFirst[2]!, opts);
  }

  const g = resolve(gene);
  for (const { re, build } of WORDS) {
    const m = spec.match(re);
    if (m) return build(g, m, opts);
  }
  // "Ex19 del L858R": CIViC's name for the population with either common sensitising EGFR mutation
  // (EURTAC and similar); a patient has one of them, the first listed stands for the variant.
  const common = spec.match(/^ex(?:on)?\s*19\s*del(?:etion)?\s*(?:\/|or|,)?\s*L858R$/i);
  if (common) {
    const parts = [mapSpec(gene, 'EXON 19 DELETION', opts), mapSpec(gene, 'L858R', opts)];
    const ps = parts.filter((p): p is Part => !('reason' in p));
    if (ps.length === 2) return { criteria: { any: ps.map((p) => p.criteria) }, kind: 'mutation', alterations: ps[0]!.alterations, genes: [g] };
  }
  // several changes at once: G12/G13, D835H/Y, S310F/Y
  const slash = spec.match(/^([A-Z])(\d+)([A-Z*]?)\/(?:([A-Z])(\d+))?([A-Z*]?)$/);
  if (slash) {
    const [, ref, pos, alt1, ref2, pos2, alt2] = slash;
    const first = alt1 ? `${ref}${pos}${alt1}` : `${ref}${pos}`;
    const second = ref2 ? `${ref2}${pos2}${alt2 ?? ''}` : `${ref}${pos}${alt2}`;
    const parts = [first, second].map((x) => mapSpec(gene, x, opts));
    const bad = parts.find((p): p is { reason: string } => 'reason' in p);
    if (bad) return bad;
    const ps = parts as Part[];
    return {
      criteria: { any: ps.map((p) => p.criteria) },
      kind: 'mutation',
      // a patient has one of them: the first listed stands for the variant
      alterations: ps[0]!.alterations,
      noProfile: ps[0]!.noProfile,
      genes: [g],
    };
  }
  const pos = spec.match(/^([A-Z])(\d+)X?$/);
  if (pos) {
    const crit = `${g} ${pos[1]}${pos[2]}`;
    const rep = opts.representative?.(g, pos[1]!, Number(pos[2]));
    return rep
      ? { criteria: crit, kind: 'mutation', alterations: [{ kind: 'mutation', gene: g, change: rep }], genes: [g] }
      : { criteria: crit, kind: 'mutation', noProfile: 'position-level variant with no exact change on record', genes: [g] };
  }
  const exact = exactPart(g, spec);
  if (exact) return exact;
  const splice = spec.match(/^([A-Z]\d+) splice(?: site)?(?: mutation)?$/i);
  if (splice) return exactPart(g, `${splice[1]}_splice`) ?? { reason: `variant "${spec}" is not understood` };
  // several changes in one name: "E255K V299L", "C1156Y-L1198F" (all of them)
  const tokens = spec.split(/[\s-]+/).filter(Boolean);
  if (tokens.length > 1 && tokens.every((t) => /^[A-Z]\d+[A-Z*]$/.test(t))) {
    const ps = tokens.map((t) => exactPart(g, t));
    if (ps.every((p): p is Part => p !== undefined && !('reason' in p))) {
      return { criteria: { all: ps.map((p) => p.criteria) }, kind: 'mutation', alterations: ps.flatMap((p) => p.alterations ?? []), genes: [g] };
    }
  }
  for (const [re, reason] of NOT_UNDERSTOOD) if (re.test(spec)) return { reason };
  return { reason: `variant "${spec}" is not understood` };
}

function combine(parts: PartResult[], op: 'all' | 'any'): VariantMapping {
  const bad = parts.find((p): p is { reason: string } => 'reason' in p);
  if (bad) return { ok: false, reason: bad.reason };
  const ps = parts as Part[];
  if (ps.length === 1) {
    const p = ps[0]!;
    return { ok: true, criteria: p.criteria, kind: p.kind, alterations: p.alterations, noProfile: p.noProfile, genes: p.genes };
  }
  const alterations = op === 'all' && ps.every((p) => p.alterations) ? ps.flatMap((p) => p.alterations!) : op === 'any' ? ps[0]!.alterations : undefined;
  return {
    ok: true,
    criteria: op === 'all' ? { all: ps.map((p) => p.criteria) } : { any: ps.map((p) => p.criteria) },
    kind: 'compound',
    alterations,
    noProfile: alterations ? undefined : ps.find((p) => p.noProfile)?.noProfile ?? 'compound of categories',
    genes: [...new Set(ps.flatMap((p) => p.genes))],
  };
}

function checked(m: VariantMapping): VariantMapping {
  if (!m.ok) return m;
  try {
    parseCriteria(m.criteria);
  } catch (e) {
    return { ok: false, reason: (e as Error).message.replace(/^evidence\/criteria: /, '') };
  }
  return m;
}

/** A CIViC 2021-layout variant: its gene column and variant name. */
export function mapCivicVariant(gene: string, variant: string, opts: VariantOptions = {}): VariantMapping {
  if (!GENE_TOKEN.test(gene) || gene !== gene.toUpperCase()) return { ok: false, reason: `gene "${gene}" is not an upper-case HGNC symbol` };
  const parts = variant.split(/\s+and\s+/i).map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return { ok: false, reason: 'empty variant' };
  // free text with several variants in one name joined by "and" (all of them)
  return checked(combine(parts.map((p) => mapSpec(gene, p, opts)), 'all'));
}

/**
 * A current-layout molecular profile: `BRAF V600E`, `BCR::ABL1 Fusion`,
 * `v::ALK Fusion` (any partner), `EGFR L858R AND EGFR T790M`, `NOT`-free AND / OR.
 */
export function mapMolecularProfile(profile: string, opts: VariantOptions = {}): VariantMapping {
  const text = profile.trim();
  if (text === '') return { ok: false, reason: 'empty molecular profile' };
  if (/\bNOT\b/.test(text)) return { ok: false, reason: 'molecular profiles with NOT are not imported' };
  const hasAnd = /\sAND\s/.test(text);
  const hasOr = /\sOR\s/.test(text);
  if (hasAnd && hasOr) return { ok: false, reason: 'molecular profile mixes AND and OR' };
  const parts = text.split(/\s+(?:AND|OR)\s+/);
  const mapped = parts.map((part): PartResult => {
    const fusion = part.match(/^([A-Za-z0-9][A-Za-z0-9.-]*|v)::([A-Za-z0-9][A-Za-z0-9.-]*|v)(?:\s+(.*))?$/);
    if (fusion) {
      const [, five, three, rest] = fusion;
      const resolve = (g: string) => (opts.genes ? opts.genes(g) : upperGene(g));
      const known = five === 'v' ? three! : three === 'v' ? five! : undefined;
      const restTrim = (rest ?? '').trim();
      if (restTrim !== '' && !/^fusion$/i.test(restTrim) && !/^e\d+-e\d+$/i.test(restTrim)) {
        return { reason: `fusion variant "${part}" is not understood` };
      }
      if (known) {
        const g = resolve(known);
        return { criteria: `${g} fusion`, kind: 'fusion', alterations: [{ kind: 'fusion', gene: g }], genes: [g] };
      }
      const f = resolve(five!);
      const t = resolve(three!);
      return { criteria: `${f}::${t} fusion`, kind: 'fusion', alterations: [{ kind: 'fusion', gene: t, partner: f }], genes: [f, t] };
    }
    const m = part.match(/^([A-Za-z0-9][A-Za-z0-9.-]*)\s+(.+)$/);
    if (!m) return { reason: `molecular profile part "${part}" names no gene and variant` };
    const gene = m[1]!;
    if (gene !== gene.toUpperCase()) return { reason: `gene "${gene}" is not an upper-case HGNC symbol` };
    return mapSpec(gene, m[2]!, opts);
  });
  return checked(combine(mapped, hasOr ? 'any' : 'all'));
}

/** A CIViC record of either layout. */
export function mapCivicRecord(r: { layout: '2021' | 'current'; gene?: string; variant?: string; profile: string }, opts: VariantOptions = {}): VariantMapping {
  return r.layout === '2021' ? mapCivicVariant(r.gene ?? '', r.variant ?? '', opts) : mapMolecularProfile(r.profile, opts);
}

/**
 * A CGI alteration: `BRAF:V600E`, `EGFR:L858R,G719A` (one row per individual
 * mutation), `ERBB2:amp`, `CDKN2A:del`, `ALK__.`, `ABL1__BCR`, `AR:over`,
 * `KRAS:.` (any oncogenic mutation), `EGFR::consequence::inframe_deletion:6-273`;
 * compounds joined with `;` (all of them).
 */
export function mapCgiAlteration(alteration: string, type: string, individual: string, opts: VariantOptions = {}): VariantMapping {
  const resolve = (g: string) => (opts.genes ? opts.genes(g) : upperGene(g));
  const one = (alt: string, t: string): PartResult => {
    const fusion = alt.match(/^([A-Za-z0-9.-]+)__([A-Za-z0-9.-]+|\.)$/);
    if (fusion || t === 'FUS') {
      if (!fusion) return { reason: `fusion "${alt}" is not understood` };
      const g = resolve(fusion[1]!);
      if (fusion[2] === '.') return { criteria: `${g} fusion`, kind: 'fusion', alterations: [{ kind: 'fusion', gene: g }], genes: [g] };
      // CGI writes the kinase first (ABL1__BCR): the partner is 5'
      const p = resolve(fusion[2]!);
      return { criteria: `${p}::${g} fusion`, kind: 'fusion', alterations: [{ kind: 'fusion', gene: g, partner: p }], genes: [p, g] };
    }
    const m = alt.match(/^([A-Za-z0-9.-]+):(.*)$/);
    if (!m) return { reason: `alteration "${alt}" is not understood` };
    const g = resolve(m[1]!);
    const spec = m[2]!.trim();
    if (spec === 'amp') return WORDS[0]!.build(g, [] as unknown as RegExpMatchArray, {});
    if (spec === 'del') return WORDS[1]!.build(g, [] as unknown as RegExpMatchArray, {});
    if (spec === 'over') return { criteria: `${g} overexpression`, kind: 'expression', alterations: [{ kind: 'expression', gene: g, value: 'high' }], genes: [g] };
    if (spec === 'under') return { reason: UNDEREXPRESSION };
    if (spec === '.') {
      return t === 'BIA'
        ? { criteria: `${g} loss-of-function`, kind: 'mutation', noProfile: 'biallelic inactivation (no single variant)', genes: [g] }
        : { criteria: `${g} activating mutation`, kind: 'mutation', noProfile: 'any oncogenic mutation (no single variant)', genes: [g] };
    }
    if (spec.startsWith(':')) return { reason: `CGI region or consequence "${alt}" is not in the criteria language` };
    const changes = spec.split(',').map((c) => c.trim()).filter(Boolean);
    if (changes.length === 0) return { reason: `alteration "${alt}" is not understood` };
    const parts = changes.map((c) => mapSpec(g, c, opts));
    const bad = parts.find((p): p is { reason: string } => 'reason' in p);
    if (bad) return bad;
    const ps = parts as Part[];
    if (ps.length === 1) return ps[0]!;
    // the row's own variant stands for the patient
    const own = individual ? individual.replace(/^[^:]+:/, '') : '';
    const ownPart = own ? mapSpec(g, own, opts) : undefined;
    return {
      criteria: { any: [...new Set(ps.map((p) => JSON.stringify(p.criteria)))].map((c) => JSON.parse(c) as CriteriaSource) },
      kind: 'mutation',
      alterations: ownPart && !('reason' in ownPart) ? ownPart.alterations : undefined,
      noProfile: ownPart ? undefined : 'list of variants with no individual mutation',
      genes: [g],
    };
  };
  const alts = alteration.split(';').map((a) => a.trim()).filter(Boolean);
  const types = type.split(';');
  if (alts.length === 0) return { ok: false, reason: 'empty alteration' };
  return checked(combine(alts.map((a, i) => one(a, types[i] ?? types[0] ?? '')), 'all'));
}

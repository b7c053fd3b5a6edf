/**
 * Alterations: the input schema of DESIGN §5 (zod, strict) and the normalised
 * form every later stage works on, with its canonical key
 * (`BRAF:p.V600E`, `ERBB2:amp`, `CDKN2A:del`, `EML4::ALK`, `MSI:high`, `TMB:14.2`).
 */
import { z } from 'zod';
import { InvalidInputError, zodDetails } from './errors.ts';
import { parseProteinChange, type ProteinChange } from './protein.ts';

export const GENE_SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$/;

const geneField = z
  .string({ error: 'gene is required (an HGNC symbol such as "EGFR")' })
  .trim()
  .regex(GENE_SYMBOL, 'gene must be an HGNC symbol such as "EGFR"');

const common = {
  vaf: z.number().min(0).max(1).optional(),
  transcript: z.string().max(64).optional(),
  exon: z.number().int().min(1).max(400).optional(),
  origin: z.enum(['somatic', 'germline']).optional(),
  /** Free-form note from the reader (e.g. the source line); never identifying. */
  source: z.string().max(200).optional(),
};

export const MutationInput = z.strictObject({
  kind: z.literal('mutation'),
  gene: geneField,
  change: z.string({ error: 'change is required for a mutation (e.g. "V600E")' }).trim().min(1).max(80),
  ...common,
});
export const CopyNumberInput = z.strictObject({
  kind: z.enum(['amplification', 'deletion']),
  gene: geneField,
  copies: z.number().min(0).max(1000).optional(),
  ...common,
});
export const FusionInput = z.strictObject({
  kind: z.literal('fusion'),
  gene: geneField,
  partner: geneField.optional(),
  ...common,
});
export const ExpressionInput = z.strictObject({
  kind: z.literal('expression'),
  gene: geneField,
  /**
   * The assay's result: `high` or `positive` (overexpressed: HER2 IHC 3+), `low` (HER2-low: IHC 1+, or 2+ without
   * amplification by ISH), `ultralow` (HER2-ultralow: IHC 0 with faint staining in at most 10% of cells), `negative`
   * (no expression: IHC 0, IHC loss).
   */
  value: z.enum(['high', 'low', 'ultralow', 'positive', 'negative']).default('high'),
  ...common,
});
/** Promoter methylation of one gene (MGMT in glioma, MLH1 in colorectal and endometrial cancer), as the assay reports it. */
export const MethylationInput = z.strictObject({
  kind: z.literal('methylation'),
  gene: geneField,
  // Required: a two-outcome test has no default result.
  value: z.enum(['methylated', 'unmethylated'], { error: 'value is required for methylation: "methylated" or "unmethylated"' }),
  ...common,
});
export const SIGNATURE_NAMES = ['MSI', 'TMB', 'MMR', 'HRD'] as const;
export const SignatureInput = z.strictObject({
  kind: z.literal('signature'),
  name: z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v), z.enum(SIGNATURE_NAMES, {
    error: `signature name must be one of ${SIGNATURE_NAMES.join(', ')}`,
  })),
  value: z.union([z.number().min(0).max(10000), z.string().trim().min(1).max(20)]),
  source: z.string().max(200).optional(),
});

export const ALTERATION_KINDS = ['mutation', 'amplification', 'deletion', 'fusion', 'expression', 'methylation', 'signature'] as const;
export type AlterationKind = (typeof ALTERATION_KINDS)[number];

export const AlterationInput = z.discriminatedUnion(
  'kind',
  [MutationInput, CopyNumberInput, FusionInput, ExpressionInput, MethylationInput, SignatureInput],
  { error: (iss) => (iss.code === 'invalid_union' ? `kind must be one of ${ALTERATION_KINDS.join(', ')}` : undefined) },
);
export type AlterationInput = z.input<typeof AlterationInput>;

/** A normalised alteration: what matching and scoring see. */
export interface Alteration {
  key: string;
  kind: AlterationKind;
  /** Gene symbol (HGNC, upper case); for signatures the signature name (MSI, TMB, ...). */
  gene: string;
  /** Parsed protein change, for mutations. */
  protein?: ProteinChange;
  partner?: string;
  exon?: number;
  /**
   * Signature value: `high` / `stable` / `deficient` / `proficient` / `positive` / `negative` or a number (TMB mut/Mb);
   * expression level (`high`, `low`, `positive`, `negative`); methylation (`methylated`, `unmethylated`).
   */
  value?: string | number;
  vaf?: number;
  origin?: 'somatic' | 'germline';
  transcript?: string;
  /** The text as received, for explanations and warnings. */
  label: string;
}

/** Resolves aliases and previous symbols to the current HGNC symbol. */
export type GeneResolver = (symbol: string) => string;
export const identityGenes: GeneResolver = (s) => s.toUpperCase();

const SIGNATURE_VALUES: Record<string, Record<string, string>> = {
  MSI: { high: 'high', h: 'high', 'msi-h': 'high', unstable: 'high', stable: 'stable', mss: 'stable', low: 'low', l: 'low', 'msi-l': 'low' },
  MMR: { deficient: 'deficient', d: 'deficient', dmmr: 'deficient', proficient: 'proficient', p: 'proficient', pmmr: 'proficient' },
  HRD: { positive: 'positive', high: 'positive', '+': 'positive', negative: 'negative', low: 'negative', '-': 'negative' },
};

function signatureValue(name: (typeof SIGNATURE_NAMES)[number], value: string | number, path: string): string | number {
  if (name === 'TMB') {
    const n = typeof value === 'number' ? value : Number(value);
    if (typeof value === 'string' && /^(high|h)$/i.test(value)) return 'high';
    if (!Number.isFinite(n) || n < 0) {
      throw new InvalidInputError(`profile: TMB value must be a number of mutations per megabase or "high"`, [
        { path: `${path}.value`, message: `got ${JSON.stringify(value)}` },
      ]);
    }
    return Math.round(n * 100) / 100;
  }
  const v = SIGNATURE_VALUES[name]![String(value).trim().toLowerCase()];
  if (!v) {
    const allowed = [...new Set(Object.values(SIGNATURE_VALUES[name]!))].join(', ');
    throw new InvalidInputError(`profile: ${name} value must be one of ${allowed}`, [
      { path: `${path}.value`, message: `got ${JSON.stringify(value)}` },
    ]);
  }
  return v;
}

/**
 * Validate one alteration and normalise it. `path` names it in errors
 * (`alterations.2`). Throws InvalidInputError naming the field.
 */
export function normaliseAlteration(input: unknown, genes: GeneResolver = identityGenes, path = 'alteration'): Alteration {
  const a: z.output<typeof AlterationInput> = cleanMutation(input) ?? parseInput(input, path);
  if (a.kind === 'signature') {
    const value = signatureValue(a.name, a.value, path);
    // dMMR and MSI-H are reported together by most assays; keep them as given.
    return { key: `${a.name}:${value}`, kind: 'signature', gene: a.name, value, label: signatureLabel(a.name, value) };
  }
  const gene = genes(a.gene);
  const make = (key: string, kind: AlterationKind, label: string) => build(key, kind, gene, label, a);
  switch (a.kind) {
    case 'mutation': {
      const protein = parseProteinChange(a.change);
      if (!protein) {
        throw new InvalidInputError(`profile: ${path}.change "${a.change}" is not a protein change we can read`, [
          {
            path: `${path}.change`,
            message: `expected HGVS protein notation such as V600E, p.Val600Glu, E746_A750del, R213*, L747fs or "exon 14 skipping"`,
          },
        ]);
      }
      const out = make(`${gene}:p.${protein.canonical}`, 'mutation', `${gene} ${protein.canonical}`);
      out.protein = protein;
      out.exon = protein.exon ?? a.exon;
      return out;
    }
    case 'amplification':
      return make(`${gene}:amp`, 'amplification', `${gene} amplification`);
    case 'deletion':
      return make(`${gene}:del`, 'deletion', `${gene} deletion`);
    case 'fusion': {
      const partner = a.partner ? genes(a.partner) : undefined;
      const out = make(partner ? `${partner}::${gene}` : `${gene}:fusion`, 'fusion', partner ? `${partner}::${gene} fusion` : `${gene} fusion`);
      out.partner = partner;
      return out;
    }
    case 'expression': {
      const out = make(`${gene}:expr:${a.value}`, 'expression', `${gene} ${a.value} expression`);
      out.value = a.value;
      return out;
    }
    case 'methylation': {
      const out = make(`${gene}:${a.value}`, 'methylation', `${gene} promoter ${a.value}`);
      out.value = a.value;
      return out;
    }
  }
}

function parseInput(input: unknown, path: string): z.output<typeof AlterationInput> {
  const parsed = AlterationInput.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(`profile: invalid ${path}`, zodDetails(parsed.error.issues, path));
  return parsed.data;
}

const MUTATION_KEYS = new Set(['kind', 'gene', 'change', 'vaf', 'transcript', 'exon', 'origin', 'source']);

/**
 * A mutation input that `MutationInput` would accept unchanged (every field already of its type, in its range
 * and trimmed), copied field by field: the readers build millions of these, and the schema's work is then a copy.
 * Anything else is undefined and goes through the schema, which also writes every error. A property test holds
 * the two to the same answers (test/unit/domain/alteration-fast.test.ts).
 */
export function cleanMutation(input: unknown): z.output<typeof MutationInput> | undefined {
  if (typeof input !== 'object' || input === null || Object.getPrototypeOf(input) !== Object.prototype) return undefined;
  const o = input as Record<string, unknown>;
  if (o.kind !== 'mutation') return undefined;
  for (const k in o) if (!MUTATION_KEYS.has(k) || !Object.prototype.hasOwnProperty.call(o, k)) return undefined;
  const { gene, change, vaf, transcript, exon, origin, source } = o;
  if (typeof gene !== 'string' || !GENE_SYMBOL.test(gene)) return undefined;
  if (typeof change !== 'string' || change.length === 0 || change.length > 80 || change.trim() !== change) return undefined;
  if (vaf !== undefined && (typeof vaf !== 'number' || !(vaf >= 0 && vaf <= 1))) return undefined;
  if (transcript !== undefined && (typeof transcript !== 'string' || transcript.length > 64)) return undefined;
  if (exon !== undefined && (typeof exon !== 'number' || !Number.isInteger(exon) || exon < 1 || exon > 400)) return undefined;
  if (origin !== undefined && origin !== 'somatic' && origin !== 'germline') return undefined;
  if (source !== undefined && (typeof source !== 'string' || source.length > 200)) return undefined;
  // A new object of the values read and checked above: a getter cannot answer differently later.
  const out: z.output<typeof MutationInput> = { kind: 'mutation', gene, change };
  if (vaf !== undefined) out.vaf = vaf;
  if (transcript !== undefined) out.transcript = transcript;
  if (exon !== undefined) out.exon = exon;
  if (origin !== undefined) out.origin = origin;
  if (source !== undefined) out.source = source;
  return out;
}

/**
 * The common fields of a gene alteration, set one by one rather than by spreading a base object:
 * spreading with an overridden key is a slow path in V8, and this runs for every row of a cohort file.
 */
function build(
  key: string,
  kind: AlterationKind,
  gene: string,
  label: string,
  a: { exon?: number; vaf?: number; origin?: 'somatic' | 'germline'; transcript?: string },
): Alteration {
  return { key, kind, gene, label, exon: a.exon, vaf: a.vaf, origin: a.origin, transcript: a.transcript };
}

function signatureLabel(name: string, value: string | number): string {
  if (name === 'TMB') return typeof value === 'number' ? `TMB ${value} mut/Mb` : 'TMB high';
  if (name === 'MSI') return value === 'high' ? 'MSI-H' : value === 'stable' ? 'MSS' : 'MSI-L';
  if (name === 'MMR') return value === 'deficient' ? 'dMMR' : 'pMMR';
  return `HRD ${value}`;
}

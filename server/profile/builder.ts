/**
 * Collects the alterations of one profile as a reader finds them: normalises
 * each with `normaliseAlteration`, names the line of every problem, merges
 * duplicates (same canonical key) and keeps warnings short. Every reader
 * (text, VCF, MAF, CNV, fusion) builds its profiles through this.
 */
import { InvalidInputError, type ErrorDetail } from '../domain/errors.ts';
import { normaliseAlteration, identityGenes, type Alteration, type GeneResolver } from '../domain/alteration.ts';
import { CASE_ID, ONCOTREE_CODE, type Profile } from '../domain/profile.ts';
import type { ReadResult, ReadStats, ReadWarning } from './types.ts';
import { describeLookup } from './genes.ts';

/** Past this many, further warnings are counted, not listed. */
export const MAX_WARNINGS = 200;
/** Past this many, further errors are counted, not listed (the first ones are enough to fix a file). */
export const MAX_ERRORS = 50;
/** DESIGN §5 / domain/profile.ts: at most 5,000 alterations per profile. */
export const MAX_ALTERATIONS = 5000;

export interface Where {
  line?: number;
  /** The field or column (`HGVSp_Short`, `CSQ`, `item 2`). */
  path?: string;
}

export interface BuilderOptions {
  id: string;
  tumourType?: string;
  genes?: GeneResolver;
  lenient?: boolean;
  /** The module name that starts error messages (`profile/text`). */
  module: string;
}

export class ProfileBuilder {
  readonly warnings: ReadWarning[] = [];
  readonly errors: ErrorDetail[] = [];
  private droppedWarnings = 0;
  private droppedErrors = 0;
  private readonly seen = new Map<string, Alteration>();
  private readonly aliasWarned = new Set<string>();
  readonly stats: ReadStats = { records: 0, alterations: 0, skipped: 0 };
  readonly genes: GeneResolver;

  constructor(readonly options: BuilderOptions) {
    this.genes = options.genes ?? identityGenes;
  }

  get size(): number {
    return this.seen.size;
  }

  warn(message: string, where: Where = {}): void {
    if (this.warnings.length >= MAX_WARNINGS) {
      this.droppedWarnings++;
      return;
    }
    this.warnings.push(detail(message, where));
  }

  /** A problem with the input: an error, or a warning when the reader is lenient. */
  error(message: string, where: Where = {}): void {
    if (this.options.lenient) {
      this.warn(`skipped: ${message}`, where);
      return;
    }
    if (this.errors.length >= MAX_ERRORS) {
      this.droppedErrors++;
      return;
    }
    this.errors.push(detail(message, where));
  }

  /**
   * Normalise one alteration input and add it. Returns the alteration, or
   * undefined when it was invalid (the error is recorded with `where`).
   */
  add(input: Record<string, unknown>, where: Where = {}): Alteration | undefined {
    let a: Alteration;
    try {
      a = normaliseAlteration(input, this.genes, 'alteration');
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      this.error(alterationProblem(err), where);
      return undefined;
    }
    this.noteAlias(input.gene, where);
    this.noteAlias(input.partner, where);
    const prior = this.seen.get(a.key);
    if (prior) {
      this.warn(`${a.label} is listed more than once; kept once`, where);
      return prior;
    }
    if (this.seen.size >= MAX_ALTERATIONS) {
      this.error(`more than ${MAX_ALTERATIONS} alterations in one profile; the rest were not read`, where);
      return undefined;
    }
    this.seen.set(a.key, a);
    return a;
  }

  private noteAlias(symbol: unknown, where: Where): void {
    if (typeof symbol !== 'string') return;
    const note = describeLookup(this.genes, symbol);
    if (!note || this.aliasWarned.has(symbol.toUpperCase())) return;
    this.aliasWarned.add(symbol.toUpperCase());
    this.warn(note, where);
  }

  /** The profile, or an InvalidInputError listing every problem found. */
  finish(): ReadResult {
    if (this.droppedWarnings > 0) this.warnings.push({ message: `${this.droppedWarnings} more warnings not shown` });
    if (this.errors.length > 0) {
      const details = [...this.errors];
      if (this.droppedErrors > 0) details.push({ message: `${this.droppedErrors} more errors not shown` });
      const n = this.errors.length + this.droppedErrors;
      throw new InvalidInputError(`${this.options.module}: ${n} ${n === 1 ? 'problem' : 'problems'} in the profile`, details);
    }
    const profile: Profile = { id: this.options.id, tumourType: this.options.tumourType, alterations: [...this.seen.values()] };
    this.stats.alterations = profile.alterations.length;
    return { profile, warnings: this.warnings, stats: { ...this.stats } };
  }
}

function detail(message: string, where: Where): ErrorDetail {
  const d: ErrorDetail = { message };
  if (where.path !== undefined) d.path = where.path;
  if (where.line !== undefined) d.line = where.line;
  return d;
}

/** A normaliseAlteration error as one sentence: `change "V600Z" is not a protein change we can read (expected ...)`. */
function alterationProblem(err: InvalidInputError): string {
  const headline = err.message
    .replace(/^[a-z/]+: /, '')
    .replace(/^invalid alteration$/, '')
    .replace(/\balteration\.(\w+)/g, '$1');
  const details = err.details
    .map((d) => {
      const field = (d.path ?? '').replace(/^alteration\.?/, '');
      return field && !headline.startsWith(field) ? `${field}: ${d.message}` : d.message;
    })
    .join('; ');
  return headline && details ? `${headline} (${details})` : headline || details || err.message;
}

/** Check and upper-case an OncoTree code; throws InvalidInputError naming `path`. */
export function checkTumourType(code: string | undefined, path: string, module: string, line?: number): string | undefined {
  if (code === undefined) return undefined;
  const tt = code.trim().toUpperCase();
  if (tt === '') return undefined;
  if (!ONCOTREE_CODE.test(tt)) {
    throw new InvalidInputError(`${module}: invalid tumour type`, [
      { path, line, message: `"${code}" is not an OncoTree code (expected e.g. LUAD, COADREAD, AML)` },
    ]);
  }
  return tt;
}

/** Turn a sample or file name into a valid case ID (DESIGN: pseudonymous, letters, digits, . _ : -). */
export function toCaseId(name: string, fallback = 'profile'): string {
  const cleaned = name
    .trim()
    .replace(/[^A-Za-z0-9._:-]+/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return CASE_ID.test(cleaned) ? cleaned : fallback;
}

/**
 * Finish a profile; with `continueOnError`, a profile that cannot be read is
 * returned as an empty placeholder carrying the error instead of throwing.
 */
export function finishProfile(b: ProfileBuilder, continueOnError = false): ReadResult {
  try {
    return b.finish();
  } catch (err) {
    if (!continueOnError || !(err instanceof InvalidInputError)) throw err;
    return {
      profile: { id: b.options.id, tumourType: b.options.tumourType, alterations: [] },
      warnings: b.warnings,
      stats: { ...b.stats, alterations: 0 },
      error: err,
    };
  }
}

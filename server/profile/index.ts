/**
 * Profile readers: every file a lab sends (JSON / JSONL profiles, pasted
 * text, VCF, MAF, copy-number and fusion tables; plain or gzip) becomes the
 * DESIGN §5 profile, with warnings and errors that name the line.
 *
 *   detectFormat(head, filename?)          -> 'json' | 'jsonl' | 'text' | 'vcf' | 'maf' | 'cnv' | 'fusion'
 *   readProfiles(source, options?)         -> AsyncIterable<ReadResult>, one per profile / sample, streaming
 *   readProfile(source, options?)          -> Promise<ReadResult>, exactly one profile (CLI `rank`)
 *   readProfileText(text, options?)        -> ReadResult, a JSON profile or pasted text (API)
 *   createGeneResolver(extraAliases?, o?)  -> the shipped HGNC alias table + run-time aliases
 *   createCoordinateLocator(variants)      -> a `locate` callback placing unannotated records by coordinates
 */
import { InvalidInputError, type ErrorDetail } from '../domain/errors.ts';
import { normaliseProfile } from '../domain/profile.ts';
import type { GeneResolver } from '../domain/alteration.ts';
import { createGeneResolver } from './genes.ts';
import { openSource, checkText, type OpenedSource, type ProfileSource } from './io.ts';
import { parseTextProfile } from './text.ts';
import { readVcf } from './vcf.ts';
import { readMaf } from './maf.ts';
import { readCopyNumber } from './cnv.ts';
import { readFusions } from './fusion.ts';
import { DEFAULT_MAX_BYTES, PROFILE_FORMATS, type ProfileFormat, type ReadOptions, type ReadResult } from './types.ts';
import { detectFormat } from '../domain/formats.ts';

// Which reader a text is for: plain string work, shared with the board's intake (client/src/profile-input.ts).
export { detectFormat };

export * from './types.ts';
export { createGeneResolver, describeLookup, knowsGene, SHIPPED_GENE_TABLE } from './genes.ts';
export type { GeneTableResolver, GeneLookup, ExtraAliases, GeneResolverOptions } from './genes.ts';
export { parseTextProfile, parseTextItem, splitItems } from './text.ts';
export type { TextOptions, TextItem } from './text.ts';
export { openSource, type ProfileSource } from './io.ts';
export { detectBuild, chooseAnnotation, parseAnnotation, annotationLayouts, CONSEQUENCE_ORDER } from './vcf.ts';
export { parseSampleTumourTypes, MAF_REQUIRED } from './maf.ts';
export { CNV_DEFAULTS } from './cnv.ts';
export { createCoordinateLocator, normaliseVariant, type CoordinateVariant } from './locate.ts';

const MODULE = 'profile/read';

let shipped: GeneResolver | undefined;
/** The shipped, non-strict resolver (built once). */
export function defaultGenes(): GeneResolver {
  return (shipped ??= createGeneResolver());
}

function jsonError(err: unknown, text: string, lineOffset = 0): ErrorDetail {
  const msg = (err as Error).message ?? String(err);
  const pos = Number(msg.match(/position (\d+)/)?.[1]);
  const lineInMsg = Number(msg.match(/line (\d+)/)?.[1]);
  const line = Number.isFinite(lineInMsg) && lineInMsg > 0 ? lineInMsg : Number.isFinite(pos) ? text.slice(0, pos).split('\n').length : 1;
  return { line: line + lineOffset, message: `not valid JSON: ${msg.replace(/^(Unexpected|Expected)/, (m) => m.toLowerCase())}` };
}

function withLine(details: ErrorDetail[], line: number): ErrorDetail[] {
  return details.map((d) => ({ ...d, line: d.line ?? line }));
}

/** Read a JSON profile (DESIGN §5), an array of them, or `{profiles: [...]}`. */
function readJson(text: string, options: ReadOptions & { genes: GeneResolver }, defaultId: string): ReadResult[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InvalidInputError('profile/json: not valid JSON', [jsonError(err, text)]);
  }
  const list = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { profiles?: unknown }).profiles)
      ? (data as { profiles: unknown[] }).profiles
      : [data];
  if (list.length === 0) throw new InvalidInputError('profile/json: no profiles', [{ line: 1, message: 'the JSON holds an empty list: expected a profile {"id", "tumourType", "alterations": [...]}' }]);
  return list.map((item, i) => {
    const id = list.length > 1 ? `${defaultId}-${i + 1}` : defaultId;
    try {
      const profile = normaliseProfile(item, { genes: options.genes, defaultId: id, tumourType: options.tumourType });
      return { profile, warnings: aliasWarnings(item, options.genes), stats: { records: 1, alterations: profile.alterations.length, skipped: 0 } };
    } catch (err) {
      if (err instanceof InvalidInputError && list.length > 1) {
        const e = new InvalidInputError(`profile/json: profile ${i + 1} is invalid`, err.details.map((d) => ({ ...d, path: `${i}.${d.path ?? ''}` })));
        if (options.continueOnError) return { profile: { id, alterations: [] }, warnings: [], error: e };
        throw e;
      }
      throw err instanceof InvalidInputError ? new InvalidInputError(err.message.replace(/^profile:/, 'profile/json:'), err.details) : err;
    }
  });
}

function aliasWarnings(item: unknown, genes: GeneResolver): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const alts = (item as { alterations?: unknown })?.alterations;
  if (!Array.isArray(alts)) return out;
  const lookup = (genes as { lookup?: (s: string) => { via: string; symbol: string; input: string; candidates?: string[] } }).lookup;
  if (!lookup) return out;
  alts.forEach((a, i) => {
    for (const field of ['gene', 'partner'] as const) {
      const s = (a as Record<string, unknown>)?.[field];
      if (typeof s !== 'string') continue;
      const r = lookup(s);
      if (r.via === 'alias' || r.via === 'previous' || r.via === 'extra') out.push({ path: `alterations.${i}.${field}`, message: `gene "${r.input}" read as ${r.symbol} (${r.via === 'previous' ? 'previous HGNC symbol' : 'alias'})` });
      if (r.via === 'ambiguous') out.push({ path: `alterations.${i}.${field}`, message: `gene "${r.input}" is an alias of ${r.candidates?.join(' and ')}; kept as given` });
    }
  });
  return out;
}

async function* readJsonl(src: OpenedSource, options: ReadOptions & { genes: GeneResolver }): AsyncGenerator<ReadResult> {
  let n = 0;
  let records = 0;
  for await (const { text, no } of src.lines()) {
    if (text.trim() === '' || text.startsWith('#')) continue;
    records++;
    const id = `line-${no}`;
    let result: ReadResult;
    try {
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (err) {
        throw new InvalidInputError(`profile/jsonl: line ${no} is not valid JSON`, [{ ...jsonError(err, text), line: no }]);
      }
      try {
        const profile = normaliseProfile(data, { genes: options.genes, defaultId: id, tumourType: options.tumourType });
        result = { profile, warnings: withLine(aliasWarnings(data, options.genes), no), stats: { records: 1, alterations: profile.alterations.length, skipped: 0 } };
      } catch (err) {
        if (err instanceof InvalidInputError) throw new InvalidInputError(`profile/jsonl: line ${no}: ${err.message.replace(/^profile: /, '')}`, withLine(err.details, no));
        throw err;
      }
    } catch (err) {
      if (!(err instanceof InvalidInputError) || !options.continueOnError) throw err;
      const rawId = (() => {
        try {
          const v = (JSON.parse(text) as { id?: unknown }).id;
          return typeof v === 'string' ? v : undefined;
        } catch {
          return undefined;
        }
      })();
      result = { profile: { id: rawId ?? id, alterations: [] }, warnings: [], error: err };
    }
    n++;
    if (options.onProgress && n % 100 === 0) options.onProgress({ records, profiles: n, bytes: src.bytesRead(), totalBytes: src.totalBytes });
    yield result;
  }
  options.onProgress?.({ records, profiles: n, bytes: src.bytesRead(), totalBytes: src.totalBytes });
  if (n === 0) throw new InvalidInputError('profile/jsonl: no profiles', [{ line: 1, message: 'no JSON lines found: expected one profile object per line' }]);
}

async function collectText(src: OpenedSource): Promise<string> {
  const parts: string[] = [];
  for await (const { text } of src.lines()) parts.push(text);
  return parts.join('\n');
}

function baseName(filename?: string): string | undefined {
  if (!filename) return undefined;
  return filename
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(gz|bgz)$/i, '')
    .replace(/\.(json|jsonl|ndjson|txt|tsv|csv|vcf|maf)$/i, '');
}

/**
 * Read every profile in a source, one at a time. Gzip is read directly; the
 * format is detected unless `options.format` says. Multi-sample VCF and MAF
 * give one profile per sample. Throws InvalidInputError (with line details)
 * for anything unreadable, or yields it as `error` with `continueOnError`.
 */
export async function* readProfiles(source: ProfileSource, options: ReadOptions = {}): AsyncGenerator<ReadResult> {
  if (options.format !== undefined && !PROFILE_FORMATS.includes(options.format)) {
    throw new InvalidInputError(`${MODULE}: unknown format "${options.format}"`, [{ path: 'format', message: `expected one of ${PROFILE_FORMATS.join(', ')}` }]);
  }
  const src = await openSource(source, { maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES, filename: options.filename });
  const format = options.format ?? detectFormat(src.head, src.filename);
  const opts = { ...options, genes: options.genes ?? defaultGenes(), filename: options.filename ?? src.filename };
  // The file's name gives the id of a single-profile file that names none (through `sampleId` when given: a file name can identify too).
  const base = options.id === undefined && format !== 'vcf' && format !== 'maf' && format !== 'jsonl' ? baseName(src.filename) : undefined;
  const id = options.id ?? (base ? (options.sampleId ? options.sampleId(base, 'profile') : toId(base)) : undefined);
  switch (format) {
    case 'vcf':
      yield* readVcf(src, opts);
      return;
    case 'maf':
      yield* readMaf(src, opts);
      return;
    case 'cnv':
      yield* readCopyNumber(src, { ...opts, id });
      return;
    case 'fusion':
      yield* readFusions(src, { ...opts, id });
      return;
    case 'jsonl':
      yield* readJsonl(src, opts);
      return;
    case 'json': {
      const text = await collectText(src);
      for (const r of readJson(text, opts, id ?? 'profile')) yield r;
      return;
    }
    case 'text': {
      const text = await collectText(src);
      yield parseTextProfile(text, { id, tumourType: opts.tumourType, genes: opts.genes, lenient: opts.lenient });
      return;
    }
  }
}

function toId(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._:-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64);
  return cleaned === '' ? 'profile' : cleaned;
}

/**
 * Read a source that must hold exactly one profile (CLI `rank`). A
 * multi-sample file needs `options.sample` (VCF, MAF, copy-number or fusion table), else the error says so.
 */
export async function readProfile(source: ProfileSource, options: ReadOptions = {}): Promise<ReadResult> {
  const results: ReadResult[] = [];
  for await (const r of readProfiles(source, options)) {
    results.push(r);
    if (results.length > 1) break;
  }
  if (results.length === 0) throw new InvalidInputError(`${MODULE}: no profile found`, [{ message: 'the input holds no profile' }]);
  if (results.length > 1) {
    throw new InvalidInputError(`${MODULE}: the input holds several profiles`, [
      {
        message: `found profiles "${results[0]!.profile.id}", "${results[1]!.profile.id}", ...: choose one sample: a VCF's sample column, a MAF's Tumor_Sample_Barcode, a copy-number or fusion table's sample (the intake and a case's Add a profile list them; over the API \`sample\` for /api/rank, \`profile.readSample\` for a case); \`mtbnet batch\` ranks every sample`,
      },
    ]);
  }
  const r = results[0]!;
  if (r.error) throw r.error;
  return r;
}

/**
 * One profile from text held in memory (the API's `POST /api/profiles/parse`):
 * a JSON profile (DESIGN §5), or the text form. Other formats go through
 * `readProfiles({ text })`.
 */
export function readProfileText(text: string, options: ReadOptions = {}): ReadResult {
  if (typeof text !== 'string') throw new InvalidInputError(`${MODULE}: expected text`, [{ message: 'the body must be text' }]);
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (text.length > max) {
    throw new InvalidInputError(`${MODULE}: input too large`, [{ message: `the text is over the ${Math.round(max / 1048576)} MB limit` }]);
  }
  checkText(text, options.filename);
  const genes = options.genes ?? defaultGenes();
  const format = options.format ?? detectFormat(text.slice(0, 65536), options.filename);
  if (format === 'json') {
    const results = readJson(text, { ...options, genes }, options.id ?? 'profile');
    if (results.length !== 1) {
      throw new InvalidInputError(`${MODULE}: the input holds several profiles`, [{ message: `found ${results.length} profiles; send one` }]);
    }
    return results[0]!;
  }
  if (format === 'text') return parseTextProfile(text, { id: options.id, tumourType: options.tumourType, genes, lenient: options.lenient });
  throw new InvalidInputError(`${MODULE}: ${format} content needs the file reader`, [
    { message: `this looks like ${format.toUpperCase()} content: read it with readProfiles({ text }) (or upload it as a file)` },
  ]);
}

/**
 * The running knowledge base and the use cases every entry point shares (CLI,
 * HTTP API, batch): load the evidence once, read a profile in any format,
 * rank it. Entry points stay thin; this is where the story of a request lives.
 */
import { randomBytes } from 'node:crypto';
import type { Agency } from './domain/knowledge.ts';
import type { Profile } from './domain/profile.ts';
import type { RankResult } from './domain/result.ts';
import { loadKnowledgeBase, DEFAULT_EVIDENCE_DIR, type LoadedKnowledgeBase } from './evidence/load.ts';
import { createGeneResolver } from './profile/genes.ts';
import { createCoordinateLocator } from './profile/locate.ts';
import { detectFormat, readProfile, readProfiles, readProfileText, type ProfileSource } from './profile/index.ts';
import { normaliseProfile } from './domain/profile.ts';
import type { ProfileFormat, ReadOptions, ReadResult, ReadWarning } from './profile/types.ts';
import type { GeneResolver } from './domain/alteration.ts';
import { rankTherapies, prepareGraph, classifyDriver, withAgency, type ScoringOptionsInput } from './scoring/index.ts';
import type { DriverClass } from './domain/result.ts';
import { SampleNaming, type SampleIdEntry } from './security/pseudonyms.ts';

export interface EngineOptions {
  evidenceDir?: string;
  imports?: string[];
  scoring?: ScoringOptionsInput;
  /**
   * The installation's key for pseudonymous sample IDs (server/security/pseudonym-key.ts),
   * or a function giving it when first needed. Without it a random key for the process's
   * lifetime: names still never come through, but their IDs change with every start.
   */
  pseudonymKey?: Buffer | (() => Buffer);
}

/**
 * How names taken from the input (sample columns, a file's name) become profile ids:
 * the user's map first, otherwise a pseudonym. Raw names never come through.
 */
export interface NamingOptions {
  /** The user's own ids: sample (or file) name -> case ID. */
  sampleMap?: ReadonlyMap<string, string>;
  /** Collects which name became which id (batch: one for the whole run); a fresh one per call when absent. */
  naming?: SampleNaming;
}

export type EngineReadOptions = Omit<ReadOptions, 'sampleId'> & NamingOptions;

/** One profile read, with which input names became which ids (for the uploader only: never store or log it). */
export interface NamedReadResult extends ReadResult {
  sampleIds: SampleIdEntry[];
}

export interface ParseRequest {
  text: string;
  format?: ProfileFormat;
  tumourType?: string;
  /** Forces the profile id. */
  id?: string;
  /** Used when the input names no id. */
  defaultId?: string;
  filename?: string;
}

export interface ParsedProfile {
  profile: Profile;
  warnings: ReadWarning[];
}

export interface Engine {
  kb: LoadedKnowledgeBase;
  genes: GeneResolver;
  scoring: ScoringOptionsInput;
  /** Read one profile from JSON or text held in memory. */
  parse(request: ParseRequest): ParsedProfile;
  /**
   * Read exactly one profile from a file, stream or buffer in any format (VCF, MAF, CNV, fusion, JSON, text).
   * An `id` names the profile whatever the input says; otherwise sample and file names become pseudonyms.
   */
  read(source: ProfileSource, options?: EngineReadOptions): Promise<NamedReadResult>;
  /** A profile already parsed from JSON (an HTTP body): validated and normalised, nothing re-read. */
  normalise(input: unknown, options?: { tumourType?: string; defaultId?: string }): Profile;
  /**
   * One profile from text of any format: JSON and the text form are read synchronously in memory,
   * VCF, MAF, CNV and fusion tables through the streaming readers.
   */
  readText(request: ParseRequest & { sample?: string } & NamingOptions): Promise<NamedReadResult>;
  /** Read every profile of a source, one at a time (JSONL, MAF, multi-sample VCF); sample names become pseudonyms (pass `naming` to learn which). */
  readAll(source: ProfileSource, options?: EngineReadOptions): AsyncGenerator<ReadResult>;
  /** A record of names and ids for one input, under this engine's key. */
  naming(sampleMap?: ReadonlyMap<string, string>): SampleNaming;
  rank(profile: Profile, options?: { agency?: Agency }): RankResult;
  /** Driver annotation of each alteration, without ranking. */
  annotate(profile: Profile): Array<{ key: string; label: string; kind: string; gene: string; driver: DriverClass; known: boolean }>;
}

export function createEngine(options: EngineOptions = {}): Engine {
  const kb = loadKnowledgeBase(options.evidenceDir ?? process.env.MTBNET_EVIDENCE_DIR ?? DEFAULT_EVIDENCE_DIR, {
    imports: options.imports ?? (process.env.MTBNET_IMPORTS ? process.env.MTBNET_IMPORTS.split(',').filter(Boolean) : []),
  });
  prepareGraph(kb.graph); // build the indexes at start, not on the first request
  // Knowledge-base aliases as records, so an alias two genes share (IDH) is flagged as ambiguous rather than guessed.
  const extra: Array<{ symbol: string; aliases: string[] }> = [];
  kb.graph.forEachNode((_k, a) => {
    if (a.type === 'gene' && a.aliases.length > 0) extra.push({ symbol: a.symbol, aliases: a.aliases });
  });
  const genes = createGeneResolver(extra);
  // Unannotated VCF records are placed on the variants the knowledge base carries coordinates for.
  const locate = createCoordinateLocator(kb.coordinates);
  const scoring: ScoringOptionsInput = options.scoring ?? {};
  let key: Buffer | undefined;
  const pseudonymKey = () => (key ??= typeof options.pseudonymKey === 'function' ? options.pseudonymKey() : (options.pseudonymKey ?? randomBytes(32)));
  const naming = (sampleMap?: ReadonlyMap<string, string>) => new SampleNaming(pseudonymKey, sampleMap);
  /** An id given with a one-profile upload names it; the names the user sees are those that matter for this profile. */
  const named = (r: ReadResult, n: SampleNaming, id: string | undefined): NamedReadResult => {
    let profile = r.profile;
    if (id !== undefined && profile.id !== id) {
      n.rename(profile.id, id);
      profile = { ...profile, id };
    }
    const mentioned = (e: SampleIdEntry) => e.id === profile.id || r.warnings.some((w) => w.message.includes(e.id));
    return { ...r, profile, sampleIds: n.entries().filter(mentioned) };
  };
  return {
    kb,
    genes,
    scoring,
    parse: (req) => {
      const r = readProfileText(req.text, {
        format: req.format,
        tumourType: req.tumourType,
        genes,
        id: req.id ?? req.defaultId,
        filename: req.filename,
      });
      const profile = req.id ? { ...r.profile, id: req.id } : r.profile;
      return { profile, warnings: r.warnings };
    },
    annotate: (profile) => {
      const index = prepareGraph(kb.graph);
      return profile.alterations.map((a) => ({
        key: a.key,
        label: a.label,
        kind: a.kind,
        gene: a.gene,
        driver: classifyDriver(index, a),
        known: a.kind === 'signature' || index.genes.has(a.gene),
      }));
    },
    normalise: (input, opts = {}) => normaliseProfile(input, { genes, tumourType: opts.tumourType, defaultId: opts.defaultId }),
    readText: async (req) => {
      const format = req.format ?? detectFormat(req.text.slice(0, 65536), req.filename);
      const options = { format, tumourType: req.tumourType, id: req.id ?? req.defaultId, filename: req.filename, genes, locate };
      const n = req.naming ?? naming(req.sampleMap);
      if (format === 'json' || format === 'text') return named(readProfileText(req.text, options), n, req.id);
      return named(await readProfile({ text: req.text, filename: req.filename }, { ...options, sample: req.sample, sampleId: n.idFor }), n, req.id);
    },
    read: async (source, opts = {}) => {
      const { naming: given, sampleMap, ...rest } = opts;
      const n = given ?? naming(sampleMap);
      return named(await readProfile(source, { genes, locate, ...rest, sampleId: n.idFor }), n, rest.id);
    },
    readAll: (source, opts = {}) => {
      const { naming: given, sampleMap, ...rest } = opts;
      return readProfiles(source, { genes, locate, ...rest, sampleId: (given ?? naming(sampleMap)).idFor });
    },
    naming,
    rank: (profile, opts = {}) => rankTherapies(kb.graph, profile, withAgency(scoring, opts.agency)),
  };
}

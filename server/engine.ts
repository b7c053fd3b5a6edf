/**
 * The running knowledge base and the use cases every entry point shares (CLI,
 * HTTP API, batch): load the evidence once, read a profile in any format,
 * rank it. Entry points stay thin; this is where the story of a request lives.
 */
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
import { rankTherapies, prepareGraph, classifyDriver, type ScoringOptionsInput } from './scoring/index.ts';
import type { DriverClass } from './domain/result.ts';

export interface EngineOptions {
  evidenceDir?: string;
  imports?: string[];
  scoring?: ScoringOptionsInput;
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
  /** Read exactly one profile from a file, stream or buffer in any format (VCF, MAF, CNV, fusion, JSON, text). */
  read(source: ProfileSource, options?: ReadOptions): Promise<ReadResult>;
  /** A profile already parsed from JSON (an HTTP body): validated and normalised, nothing re-read. */
  normalise(input: unknown, options?: { tumourType?: string; defaultId?: string }): Profile;
  /**
   * One profile from text of any format: JSON and the text form are read synchronously in memory,
   * VCF, MAF, CNV and fusion tables through the streaming readers.
   */
  readText(request: ParseRequest & { sample?: string }): Promise<ReadResult>;
  /** Read every profile of a source, one at a time (JSONL, MAF, multi-sample VCF). */
  readAll(source: ProfileSource, options?: ReadOptions): AsyncGenerator<ReadResult>;
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
      if (format === 'json' || format === 'text') return readProfileText(req.text, options);
      return readProfile({ text: req.text, filename: req.filename }, { ...options, sample: req.sample });
    },
    read: (source, opts = {}) => readProfile(source, { genes, locate, ...opts }),
    readAll: (source, opts = {}) => readProfiles(source, { genes, locate, ...opts }),
    rank: (profile, opts = {}) => rankTherapies(kb.graph, profile, { ...scoring, ...(opts.agency ? { agency: opts.agency } : {}) }),
  };
}

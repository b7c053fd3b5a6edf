/**
 * Shared shapes of the profile readers: what every reader returns (a DESIGN §5
 * profile plus warnings that name the line) and the options they all take.
 */
import type { ErrorDetail, InvalidInputError } from '../domain/errors.ts';
import type { GeneResolver } from '../domain/alteration.ts';
import type { Profile } from '../domain/profile.ts';

/** A warning about one line of the input: `{line: 12, path: 'HGVSp_Short', message: '...'}`. */
export type ReadWarning = ErrorDetail;

/** One profile read from a file, with what the reader could not use or had to guess. */
export interface ReadResult {
  profile: Profile;
  warnings: ReadWarning[];
  /** Counts for progress and summaries (records seen, alterations kept, skipped, unannotated ...). */
  stats?: ReadStats;
  /** VCF: the genome build declared or detected, and how it was found. */
  build?: GenomeBuild;
  buildSource?: string;
  /**
   * Set only with `continueOnError` in multi-profile reads (JSONL, MAF, multi-sample VCF):
   * this profile could not be read; `profile` is an empty placeholder with the line's or sample's id.
   */
  error?: InvalidInputError;
}

export interface ReadStats {
  /** Data lines / records read (for VCF and MAF: records; for text: items). */
  records: number;
  /** Alterations in the profile after deduplication. */
  alterations: number;
  /** Records skipped on purpose (silent, intronic, filtered, reference genotype, ...). */
  skipped: number;
  /** VCF: records without a CSQ / ANN annotation that no `locate` callback placed. */
  unannotated?: number;
  /** VCF: records without annotation that the `locate` callback placed. */
  located?: number;
}

import type { ProfileFormat } from '../domain/formats.ts';
export { PROFILE_FORMATS, type ProfileFormat } from '../domain/formats.ts';

/** Genome builds the readers recognise. */
export type GenomeBuild = 'GRCh37' | 'GRCh38';

/**
 * Places an unannotated VCF record on a knowledge-base variant by coordinates.
 * Returns an alteration input (`{kind: 'mutation', gene, change}`) or undefined.
 */
export type LocateVariant = (
  chrom: string,
  pos: number,
  ref: string,
  alt: string,
  build: GenomeBuild | undefined,
) => { gene: string; change: string } | undefined;

export interface ProgressInfo {
  /** Bytes of the (possibly compressed) input consumed so far, when known. */
  bytes?: number;
  /** Total bytes of the input, when known. */
  totalBytes?: number;
  /** Records (data lines) read so far. */
  records: number;
  /** Profiles emitted so far. */
  profiles: number;
}

export interface ReadOptions {
  /** Force a format instead of detecting it. */
  format?: ProfileFormat;
  /** OncoTree code applied to every profile read (overrides what the file says). */
  tumourType?: string;
  /** Gene symbol resolver (aliases, previous symbols); `createGeneResolver()` gives the shipped one. */
  genes?: GeneResolver;
  /** Sample ID -> OncoTree code, for multi-sample VCF and MAF (a side file or a column). */
  sampleTumourTypes?: Map<string, string>;
  /** Profile id when the file names none (single-profile formats). */
  id?: string;
  /**
   * How a name taken from the input (a sample column, or the file's name when
   * no id is given) becomes a profile id. Default: the name itself, cleaned
   * (`toCaseId`). The engine passes pseudonymous ids here (server/security/pseudonyms.ts).
   */
  sampleId?: (name: string, fallback: string) => string;
  /** File name, used for format detection and the default profile id. */
  filename?: string;
  /** Unreadable items become warnings instead of errors (the client's "what was understood" view). */
  lenient?: boolean;
  /** VCF: place unannotated records by coordinates. */
  locate?: LocateVariant;
  /** Copy-number segment tables: the genes a segment covers (gene coordinates are not shipped). */
  locateGenes?: (chrom: string, start: number, end: number, build: GenomeBuild | undefined) => string[];
  /** VCF: genome build when the header does not say. */
  build?: GenomeBuild;
  /** Read only this sample of a multi-sample file: a VCF's sample column, a MAF's Tumor_Sample_Barcode, a copy-number matrix's column or a copy-number or fusion table's sample. */
  sample?: string;
  /** MAF: also keep silent / non-coding records (default false). */
  keepSilent?: boolean;
  /** Input size limit in bytes (default 100 MB, measured on the uncompressed stream too). */
  maxBytes?: number;
  /**
   * Multi-profile reads: a profile that cannot be read is yielded with `error`
   * set instead of ending the read (so `mtbnet batch` writes one line per input).
   */
  continueOnError?: boolean;
  /** Called every few thousand records and at the end. */
  onProgress?: (info: ProgressInfo) => void;
}

export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

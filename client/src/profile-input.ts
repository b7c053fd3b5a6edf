/**
 * Profiles on the client side: turn a normalised alteration back into the
 * DESIGN §5 input the server reads (for what-if re-ranking), build the what-if
 * profile, and split pasted text into the lines the intake annotates. Pure.
 */
import type { Alteration, AlterationInput } from '../../server/domain/alteration.ts';
import type { Profile } from '../../server/domain/profile.ts';
import {
  CNV_GENE_COLUMNS, CNV_SAMPLE_COLUMNS, columnKey, copyNumberMatrixColumns, FUSION_SAMPLE_COLUMNS, isComment, isMafHeader, isRowComment, looksLikeFusions,
  MAF_SAMPLE_COLUMNS, makeHeader, split,
} from '../../server/domain/columns.ts';
import { detectFormat } from '../../server/domain/formats.ts';

/** The JSON input that normalises back to this alteration (same key). */
export function toInput(a: Alteration): AlterationInput {
  const common = {
    ...(a.vaf !== undefined ? { vaf: a.vaf } : {}),
    ...(a.origin ? { origin: a.origin } : {}),
    ...(a.transcript ? { transcript: a.transcript } : {}),
  };
  switch (a.kind) {
    case 'signature':
      return { kind: 'signature', name: a.gene as 'MSI', value: a.value ?? 'high' };
    case 'mutation':
      return { kind: 'mutation', gene: a.gene, change: a.protein?.canonical ?? a.key.slice(a.key.indexOf(':p.') + 3), ...(a.exon ? { exon: a.exon } : {}), ...common };
    case 'amplification':
    case 'deletion':
      return { kind: a.kind, gene: a.gene, ...common };
    case 'fusion':
      return { kind: 'fusion', gene: a.gene, ...(a.partner ? { partner: a.partner } : {}), ...common };
    case 'expression':
      return { kind: 'expression', gene: a.gene, value: (a.value as 'high') ?? 'high', ...common };
    case 'methylation':
      return { kind: 'methylation', gene: a.gene, value: (a.value as 'methylated') ?? 'methylated', ...common };
  }
}

export interface WhatIf {
  /** Keys of alterations switched off. */
  disabled: ReadonlySet<string>;
  /** Tumour type to rank for instead of the profile's; undefined keeps it. */
  tumourType?: string;
}

/** The profile to rank for a what-if: switched-off alterations left out, tumour type replaced. */
export function whatIfProfile(profile: Profile, whatIf: WhatIf): { id: string; tumourType?: string; alterations: AlterationInput[] } {
  const tumourType = whatIf.tumourType ?? profile.tumourType;
  return {
    id: profile.id,
    ...(tumourType ? { tumourType } : {}),
    alterations: profile.alterations.filter((a) => !whatIf.disabled.has(a.key)).map(toInput),
  };
}

/** Formats the readers know, guessed from a file name (the server detects content too). */
export function formatFromFilename(name: string): string | undefined {
  const n = name.toLowerCase().replace(/\.gz$/, '');
  if (n.endsWith('.vcf')) return 'vcf';
  if (n.endsWith('.maf')) return 'maf';
  if (n.endsWith('.json')) return 'json';
  if (n.endsWith('.jsonl') || n.endsWith('.ndjson')) return 'jsonl';
  if (/(cnv|cna|copy[-_]?number)/.test(n)) return 'cnv';
  if (/fusion/.test(n)) return 'fusion';
  return undefined;
}

/** True when the text looks like the short text form (one or a few alterations per line), not a table or JSON. */
export function looksLikeText(text: string): boolean {
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[') || t.startsWith('##fileformat') || t.startsWith('#CHROM')) return false;
  const lines = t.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0 || lines.length > 200) return false;
  // Tables: a header with several tab-separated columns.
  if ((lines[0]!.match(/\t/g) ?? []).length >= 3) return false;
  return true;
}

export interface InputLine {
  /** 1-based line number, as the readers count. */
  line: number;
  text: string;
  /** Blank, comment or header lines (`id:`, `tumour:`) carry no alteration. */
  kind: 'alteration' | 'blank' | 'comment' | 'header';
}

const HEADER = /^(id|case|case id|tumou?r|tumou?r type|tumou?rtype|oncotree|oncotree code)\s*[:=]\s*(.*)$/i;

/** The lines of pasted text, numbered as the readers number them. */
export function inputLines(text: string): InputLine[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((raw, i) => {
      const t = raw.trim();
      const kind: InputLine['kind'] = t === '' ? 'blank' : t.startsWith('#') || t.startsWith('//') ? 'comment' : HEADER.test(t) ? 'header' : 'alteration';
      return { line: i + 1, text: raw, kind };
    });
}

/** The header lines of a text profile (id, tumour type), to send along with each single line. */
export function headerLines(text: string): string {
  return inputLines(text)
    .filter((l) => l.kind === 'header')
    .map((l) => l.text.trim())
    .join('\n');
}

/**
 * The sample columns of a VCF (after FORMAT on its `#CHROM` line), or none for other text. A file with two or more
 * (tumour and normal, say) is read one sample at a time: the intake asks which.
 */
export function vcfSamples(text: string): string[] {
  const at = text.startsWith('#CHROM') ? 0 : text.indexOf('\n#CHROM');
  if (at < 0) return [];
  const start = at === 0 ? 0 : at + 1;
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const cols = text.slice(start, end).replace(/\r$/, '').split('\t');
  return cols[8] === 'FORMAT' ? cols.slice(9).filter((c) => c !== '') : [];
}

/** Barcodes listed at most: a MAF of more is a cohort, whose barcodes are read until this many are found. */
export const MAF_SAMPLES_LISTED = 10_000;

/**
 * The tumour sample barcodes of a MAF (its `Tumor_Sample_Barcode` column), each once in the order they first come,
 * or none for other text. A MAF as the server tells one (server/profile/index.ts, detectFormat): its header, the
 * first line neither blank nor a `#` comment, names MAF columns (isMafHeader). A line of another number of columns
 * is passed over (the server names it).
 */
export function mafSamples(text: string): string[] {
  // Lines end at "\n", as the server reads them (a "\r" before it goes with the cells' and names' trimming).
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  let h = 0;
  while (h < lines.length && (lines[h]!.trim() === '' || lines[h]!.startsWith('#'))) h++;
  if (h === lines.length) return [];
  const delimiter = lines[h]!.includes('\t') ? '\t' : ',';
  const names = lines[h]!.split(delimiter);
  if (!isMafHeader(names)) return [];
  const columns = names.map(columnKey);
  let col = -1;
  for (const name of MAF_SAMPLE_COLUMNS) if (col < 0) col = columns.indexOf(columnKey(name));
  if (col < 0) return [];
  const seen = new Set<string>();
  for (let i = h + 1; i < lines.length && seen.size < MAF_SAMPLES_LISTED; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || isRowComment(line)) continue;
    const cells = line.split(delimiter);
    if (cells.length !== columns.length) continue;
    const barcode = cells[col]!.trim().replace(/^"|"$/g, '');
    if (barcode !== '') seen.add(barcode);
  }
  return [...seen];
}

/**
 * The samples of a file that holds several, one of which is read: a VCF's sample columns, a MAF's barcodes, a
 * copy-number matrix's sample columns, or the names in a copy-number or fusion table's sample column.
 */
export interface FileSamples {
  kind: 'VCF' | 'MAF' | 'copy-number matrix' | 'copy-number table' | 'fusion table';
  samples: string[];
}

/**
 * The samples of a copy-number or fusion table as its reader sees them (server/profile/cnv.ts, fusion.ts): the header
 * is the first line neither blank nor a comment (server/domain/columns.ts, isComment; lines end at `\n`, as the
 * server reads them). A copy-number matrix's sample columns (cBioPortal's data_CNA.txt), else the names in the
 * table's sample column, each once in the order they first come; none when it has no sample column (a table of one
 * sample), or when its header is not the reader's (the server then says what is wrong).
 */
function tableSamples(text: string, format: 'cnv' | 'fusion'): FileSamples {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const none: FileSamples = { kind: format === 'cnv' ? 'copy-number table' : 'fusion table', samples: [] };
  let h = 0;
  while (h < lines.length && (lines[h]!.trim() === '' || isComment(lines[h]!))) h++;
  if (h === lines.length) return none;
  const line = lines[h]!.replace(/\r$/, '');
  const header = makeHeader(line, h + 1);
  let col: number;
  if (format === 'cnv') {
    if (header.find(...CNV_GENE_COLUMNS) < 0) return none;
    const matrix = copyNumberMatrixColumns(header);
    if (matrix) return { kind: 'copy-number matrix', samples: [...new Set(matrix.map((i) => header.columns[i]!).filter((c) => c !== ''))] };
    col = header.find(...CNV_SAMPLE_COLUMNS);
  } else {
    if (!looksLikeFusions(line)) return none;
    col = header.find(...FUSION_SAMPLE_COLUMNS);
  }
  const seen = new Set<string>();
  for (let i = h + 1; col >= 0 && i < lines.length && seen.size < MAF_SAMPLES_LISTED; i++) {
    const row = lines[i]!.replace(/\r$/, '');
    if (row.trim() === '' || isRowComment(row)) continue;
    const name = (split(row, header.delimiter)[col] ?? '').trim().replace(/^"|"$/g, '');
    if (name !== '') seen.add(name);
  }
  return { ...none, samples: [...seen] };
}

/**
 * The samples of a file, by the format it is read as: the one given (chosen on the intake, or from the file's name),
 * else the one the server detects from its first lines (server/domain/formats.ts, detectFormat). A VCF's sample
 * columns, a MAF's tumour sample barcodes, a copy-number or fusion table's samples; none for other formats.
 */
export function fileSamples(text: string, format?: string): FileSamples {
  const f = format || detectFormat(text.slice(0, 65536));
  if (f === 'vcf') return { kind: 'VCF', samples: vcfSamples(text) };
  if (f === 'cnv' || f === 'fusion') return tableSamples(text, f);
  return { kind: 'MAF', samples: f === 'maf' ? mafSamples(text) : [] };
}

/** The sample that names itself the tumour (TUMOR, tumour_1, S12_T), when exactly one does; else undefined. */
export function tumourSample(samples: readonly string[]): string | undefined {
  const named = samples.filter((s) => /tumou?r|(^|[_.-])T\d*$/i.test(s) && !/normal|(^|[_.-])N\d*$/i.test(s));
  return named.length === 1 ? named[0] : undefined;
}

/**
 * The sample to read of a file's samples (undefined for a file of one sample or none): the one chosen, or until one
 * is chosen (`chosen` undefined), the VCF sample that names itself the tumour; none when the choice was set back to
 * empty. A MAF's barcodes are all tumour samples (the normal has a column of its own), as are a copy-number or
 * fusion table's: none is guessed.
 */
export function sampleToRead(file: FileSamples, chosen: string | undefined): string | undefined {
  const { kind, samples } = file;
  if (samples.length < 2) return undefined;
  if (chosen === undefined) return kind === 'VCF' ? tumourSample(samples) : undefined;
  return samples.includes(chosen) ? chosen : undefined;
}

/**
 * Copy-number tables, gene level: one row per gene (and sample), with either
 *   - a call: `amplification` / `amp` / `gain` / `HLAMP` / GISTIC `2` -> amplification,
 *     `deletion` / `homdel` / `deep deletion` / GISTIC `-2` -> deletion
 *     (single-copy `loss` / GISTIC `-1` and `gain` / `1` are low-level: skipped and counted);
 *   - an absolute copy number: >= CNV_DEFAULTS.ampCopies (6, PCGR's default for
 *     amplification) -> amplification, <= CNV_DEFAULTS.delCopies (0.5) -> deletion;
 *   - a log2 ratio (CNVkit, segment mean): >= CNV_DEFAULTS.log2Amp (1.58, about 6
 *     copies in a diploid tumour) -> amplification, <= CNV_DEFAULTS.log2Del (-1.1,
 *     CNVkit's threshold for zero copies) -> deletion.
 * A cBioPortal `data_CNA.txt` matrix (Hugo_Symbol, then one GISTIC column per
 * sample) gives one profile per sample. Segment tables (chromosome, start,
 * end, copy number) need gene coordinates: pass `locateGenes`.
 */
import { InvalidInputError } from '../domain/errors.ts';
import { ProfileBuilder, checkTumourType, finishProfile, toCaseId } from './builder.ts';
import type { OpenedSource } from './io.ts';
import { tableRows, columnList, OneSample, type Header } from './table.ts';
import {
  CNV_CALL_COLUMNS as CALL_COLUMNS, CNV_COPY_COLUMNS as COPY_COLUMNS, CNV_GENE_COLUMNS as GENE_COLUMNS, CNV_LOG2_COLUMNS as LOG2_COLUMNS,
  CNV_SAMPLE_COLUMNS as SAMPLE_COLUMNS, copyNumberMatrixColumns,
} from '../domain/columns.ts';
import type { ReadOptions, ReadResult } from './types.ts';

const MODULE = 'profile/cnv';

export const CNV_DEFAULTS = {
  /** Absolute total copy number at or above which a gene is amplified. */
  ampCopies: 6,
  /** Absolute total copy number at or below which a gene is deleted (homozygous). */
  delCopies: 0.5,
  /** log2 ratio at or above which a gene is amplified. */
  log2Amp: 1.58,
  /** log2 ratio at or below which a gene is deleted. */
  log2Del: -1.1,
};

type Call = 'amplification' | 'deletion' | 'low' | 'neutral' | undefined;

export function callFromText(v: string): Call {
  const s = v.trim().toLowerCase();
  if (/^(amp|amplification|amplified|hlamp|high[- ]?level[- ]?(gain|amplification)|2|\+2|focal amplification)$/.test(s)) return 'amplification';
  if (/^(del|deletion|homdel|hom[-_ ]?del|homozygous[- ]deletion|deep[- ]?deletion|deep[- ]?del|-2|biallelic[- ]?(loss|deletion)|loss[- ]?homozygous)$/.test(s)) return 'deletion';
  if (/^(gain|loss|het[-_ ]?loss|hetloss|heterozygous[- ]?(loss|deletion)|shallow[- ]?deletion|1|-1|\+1|low[- ]?level[- ]?gain|loh)$/.test(s)) return 'low';
  if (/^(0|neutral|normal|diploid|none|wt|-|\.|na|)$/.test(s)) return 'neutral';
  return undefined;
}

export async function* readCopyNumber(src: OpenedSource, options: ReadOptions & { id?: string } = {}): AsyncGenerator<ReadResult> {
  const lenient = options.lenient ?? false;
  const builders = new Map<string, ProfileBuilder>();
  const fatal: Array<{ line: number; path?: string; message: string }> = [];
  let header: Header | undefined;
  let mode: 'call' | 'copies' | 'log2' | 'matrix' | 'segments' = 'call';
  let c = { gene: -1, sample: -1, value: -1, chrom: -1, start: -1, end: -1, major: -1, minor: -1 };
  let matrixCols: number[] = [];
  let low = 0;
  let records = 0;
  const fileId = options.id ?? 'cnv';
  /** With options.sample: only that sample's rows (or column, in a matrix) are read. */
  const only = new OneSample(options.sample);

  const builderFor = (sample: string | undefined): ProfileBuilder => {
    const key = sample ?? '';
    let b = builders.get(key);
    if (!b) {
      const tt = options.tumourType ?? (sample ? options.sampleTumourTypes?.get(sample) : undefined);
      b = new ProfileBuilder({
        id: sample ? (options.sampleId ?? toCaseId)(sample, `${fileId}-${builders.size + 1}`) : fileId,
        tumourType: checkTumourType(tt, 'tumourType', MODULE),
        genes: options.genes,
        lenient,
        module: MODULE,
      });
      builders.set(key, b);
    }
    return b;
  };
  const problem = (line: number, message: string, path?: string) => {
    if (lenient) builderFor(undefined).warn(`skipped: ${message}`, { line, path });
    else if (fatal.length < 50) fatal.push({ line, path, message });
  };

  for await (const row of tableRows(src, MODULE)) {
    if ('header' in row) {
      const h = (header = row.header);
      c.gene = h.find(...GENE_COLUMNS);
      c.sample = h.find(...SAMPLE_COLUMNS);
      c.chrom = h.find('chromosome', 'chrom', 'chr');
      c.start = h.find('start', 'loc.start', 'start_position');
      c.end = h.find('end', 'loc.end', 'end_position');
      c.major = h.find('nMajor', 'major_cn');
      c.minor = h.find('nMinor', 'minor_cn');
      const call = h.find(...CALL_COLUMNS);
      const copies = h.find(...COPY_COLUMNS);
      const log2 = h.find(...LOG2_COLUMNS);
      if (c.gene < 0) {
        if (c.chrom >= 0 && c.start >= 0 && c.end >= 0) {
          mode = 'segments';
          if (!options.locateGenes) {
            throw new InvalidInputError(`${MODULE}: this is a segment table, not a gene-level table`, [
              {
                line: h.line,
                path: 'header',
                message:
                  'the rows are genomic segments (chromosome, start, end) without gene names: give a gene-level table (gene and call, copy number or log2 ratio; e.g. CNVkit genemetrics, PURPLE gene copy number, cBioPortal data_CNA.txt)',
              },
            ]);
          }
          c.value = copies >= 0 ? copies : log2 >= 0 ? log2 : call;
        } else {
          throw new InvalidInputError(`${MODULE}: no gene column`, [
            { line: h.line, path: 'header', message: `expected a gene column (${GENE_COLUMNS.slice(0, 3).join(', ')}); found: ${columnList(h)}` },
          ]);
        }
      } else if (call >= 0) {
        mode = 'call';
        c.value = call;
      } else if (copies >= 0) {
        mode = 'copies';
        c.value = copies;
      } else if (log2 >= 0) {
        mode = 'log2';
        c.value = log2;
      } else {
        // A gene-by-sample matrix (cBioPortal data_CNA.txt): each column a sample, of which one may be asked for.
        matrixCols = copyNumberMatrixColumns(h) ?? [];
        const all = matrixCols.length;
        matrixCols = matrixCols.filter((i) => only.keeps(h.columns[i]));
        if (all > 0) only.check(MODULE, 'copy-number matrix', 'header');
        if (matrixCols.length === 0) {
          throw new InvalidInputError(`${MODULE}: no copy-number column`, [
            {
              line: h.line,
              path: 'header',
              message: `expected a call (${CALL_COLUMNS.slice(0, 3).join(', ')}), a copy number (${COPY_COLUMNS.slice(0, 3).join(', ')}) or a log2 ratio (${LOG2_COLUMNS.slice(0, 3).join(', ')}) column; found: ${columnList(h)}`,
            },
          ]);
        }
        mode = 'matrix';
      }
      continue;
    }
    const { cells, no } = row;
    const h = header!;
    records++;
    if (mode === 'matrix') {
      const gene = cells[c.gene] ?? '';
      for (const i of matrixCols) {
        const v = cells[i] ?? '';
        const call = callFromText(v);
        const b = builderFor(h.columns[i]);
        b.stats.records++;
        if (call === undefined && v !== '') problem(no, `"${v}" is not a GISTIC call (-2, -1, 0, 1, 2)`, h.columns[i]);
        else if (call === 'amplification' || call === 'deletion') b.add({ kind: call, gene }, { line: no, path: h.columns[i] });
        else if (call === 'low') low++;
      }
      continue;
    }
    // One sample asked for (a single profile from a table of several): the other samples' rows are passed over.
    if (c.sample >= 0 && !only.keeps(cells[c.sample] ?? '')) continue;
    if (mode === 'segments') {
      const chrom = cells[c.chrom] ?? '';
      const start = Number(cells[c.start]);
      const end = Number(cells[c.end]);
      if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) {
        problem(no, `start and end must be positions with start <= end, got "${cells[c.start]}" and "${cells[c.end]}"`, h.columns[c.start]);
        continue;
      }
      const total = c.major >= 0 && c.minor >= 0 ? Number(cells[c.major]) + Number(cells[c.minor]) : Number(cells[c.value]);
      const call = c.major >= 0 || COPY_COLUMNS.some((n) => h.find(n) === c.value) ? fromCopies(total) : fromLog2(total);
      const b = builderFor(c.sample >= 0 ? cells[c.sample] : undefined);
      b.stats.records++;
      if (call === 'amplification' || call === 'deletion') {
        for (const gene of options.locateGenes!(chrom, start, end, options.build)) b.add({ kind: call, gene, copies: c.major >= 0 ? total : undefined }, { line: no, path: 'segment' });
      }
      continue;
    }
    const gene = cells[c.gene] ?? '';
    const raw = cells[c.value] ?? '';
    const b = builderFor(c.sample >= 0 ? cells[c.sample] : undefined);
    b.stats.records++;
    if (gene === '') {
      problem(no, 'the gene is empty', h.columns[c.gene]);
      continue;
    }
    let call: Call;
    let copies: number | undefined;
    if (mode === 'call') {
      call = callFromText(raw);
      if (call === undefined) {
        problem(no, `"${raw}" is not a copy-number call (expected amplification, gain, loss, deletion, or GISTIC -2..2)`, h.columns[c.value]);
        continue;
      }
    } else {
      const n = Number(raw);
      if (raw === '' || !Number.isFinite(n)) {
        problem(no, `"${raw}" is not a number (${mode === 'copies' ? 'copy number' : 'log2 ratio'} expected)`, h.columns[c.value]);
        continue;
      }
      if (mode === 'copies') {
        call = fromCopies(n);
        copies = n;
      } else call = fromLog2(n);
    }
    if (call === 'low') {
      low++;
      b.stats.skipped++;
      continue;
    }
    if (call === 'amplification' || call === 'deletion') {
      const input: Record<string, unknown> = { kind: call, gene };
      if (copies !== undefined && copies >= 0 && copies <= 1000) input.copies = copies;
      b.add(input, { line: no, path: h.columns[c.gene] });
    } else b.stats.skipped++;
  }
  if (fatal.length > 0) throw new InvalidInputError(`${MODULE}: ${fatal.length} unreadable line${fatal.length === 1 ? '' : 's'}`, fatal);
  only.check(MODULE, 'copy-number table', header?.columns[c.sample] ?? 'sample');
  if (builders.size === 0) throw new InvalidInputError(`${MODULE}: no rows`, [{ line: (header?.line ?? 0) + 1, message: 'the table has a header but no rows' }]);
  for (const [, b] of builders) {
    if (low > 0) b.warn(`${low} low-level gains or single-copy losses were not kept (only amplification and homozygous deletion are used)`, { path: 'CNV' });
    yield finishProfile(b, options.continueOnError);
  }
  options.onProgress?.({ records, profiles: builders.size, bytes: src.bytesRead(), totalBytes: src.totalBytes });
}

function fromCopies(n: number): Call {
  if (!Number.isFinite(n)) return undefined;
  if (n >= CNV_DEFAULTS.ampCopies) return 'amplification';
  if (n <= CNV_DEFAULTS.delCopies) return 'deletion';
  if (n >= 3 || n < 1.5) return 'low';
  return 'neutral';
}

function fromLog2(n: number): Call {
  if (!Number.isFinite(n)) return undefined;
  if (n >= CNV_DEFAULTS.log2Amp) return 'amplification';
  if (n <= CNV_DEFAULTS.log2Del) return 'deletion';
  if (n >= 0.3 || n <= -0.3) return 'low';
  return 'neutral';
}

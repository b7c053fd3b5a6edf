/**
 * MAF reader (GDC / TCGA Mutation Annotation Format, and cBioPortal's
 * mutation files): one profile per `Tumor_Sample_Barcode`, streamed line by
 * line. The protein change comes from `HGVSp_Short`, `HGVSp` or the older
 * `Protein_Change` / `AAChange` columns (Oncotator's legacy forms such as
 * `p.WQ288fs`, `p.SG140del` and `p.599_600insDFREYEY` are rewritten to HGVS).
 * Silent and non-coding classifications (Silent, Intron, UTR, Flank, IGR,
 * RNA, lincRNA, Splice_Region) are skipped and counted. Tumour types come from
 * an OncoTree column, a side file (`sampleTumourTypes`) or `--tumour`.
 * Reference: docs.gdc.cancer.gov/Data/File_Formats/MAF_Format.
 */
import { InvalidInputError } from '../domain/errors.ts';
import { ONCOTREE_CODE } from '../domain/profile.ts';
import { MAF_SAMPLE_COLUMNS } from '../domain/columns.ts';
import { parseProteinChange } from '../domain/protein.ts';
import { ProfileBuilder, checkTumourType, finishProfile, toCaseId } from './builder.ts';
import type { OpenedSource } from './io.ts';
import { tableRows, makeHeader, split, columnList, isComment, OneSample, type Header } from './table.ts';
import type { ReadOptions, ReadResult } from './types.ts';

const MODULE = 'profile/maf';

export const MAF_REQUIRED = ['Hugo_Symbol', 'Tumor_Sample_Barcode'] as const;
const PROTEIN_COLUMNS = ['HGVSp_Short', 'HGVSp', 'Protein_Change', 'AAChange', 'Amino_Acid_Change', 'amino_acid_change', 'Protein_change'];
const TUMOUR_COLUMNS = ['ONCOTREE_CODE', 'Oncotree_Code', 'OncoTree', 'tumour_type', 'tumor_type', 'TumourType', 'TumorType', 'cancer_type_code'];

/** Variant classifications that do not change the protein. */
export const MAF_SKIPPED = new Set(
  ['Silent', 'Intron', "3'UTR", "5'UTR", "3'Flank", "5'Flank", 'IGR', 'RNA', 'lincRNA', 'Splice_Region', 'Targeted_Region', 'De_novo_Start_InFrame', 'De_novo_Start_OutOfFrame'].map((s) =>
    s.toLowerCase(),
  ),
);

/**
 * Rewrite legacy (Oncotator / older TCGA) protein changes to HGVS the domain
 * parser reads, or return the input unchanged.
 */
export function legacyProteinChange(text: string): string {
  const s = text.trim().replace(/^p\./, '');
  let m: RegExpMatchArray | null;
  // p.WQ288fs, p.YRSPH104fs -> W288fs (the first residue)
  if ((m = s.match(/^([A-Z*]{2,})(\d+)fs(\*?\d*|\*?\?)?$/))) return `p.${m[1]![0]}${m[2]}fs`;
  // p.-770fs, p.770fs -> X770fs (reference residue unknown)
  if ((m = s.match(/^-?(\d+)fs(\*?\d*|\*?\?)?$/))) return `p.X${m[1]}fs`;
  // p.SG140del -> S140_G141del
  if ((m = s.match(/^([A-Z]{2,})(\d+)del$/))) {
    const pos = Number(m[2]);
    return `p.${m[1]![0]}${pos}_${m[1]!.at(-1)}${pos + m[1]!.length - 1}del`;
  }
  // p.599_600insDFREYEY -> X599_X600insDFREYEY
  if ((m = s.match(/^(\d+)_(\d+)ins([A-Z*]+)$/))) return `p.X${m[1]}_X${m[2]}ins${m[3]}`;
  // p.SG140CA -> S140_G141delinsCA
  if ((m = s.match(/^([A-Z]{2,})(\d+)([A-Z*]+)$/))) {
    const pos = Number(m[2]);
    return `p.${m[1]![0]}${pos}_${m[1]!.at(-1)}${pos + m[1]!.length - 1}delins${m[3]}`;
  }
  // p.310_311TQ>TKQNPQ, p.15945_15945I>SL -> T310_Q311delinsTKQNPQ, I15945delinsSL
  if ((m = s.match(/^(\d+)_(\d+)([A-Z*]+)>([A-Z*]+)$/))) {
    const [start, end, ref, alt] = [Number(m[1]), Number(m[2]), m[3]!, m[4]!];
    if (end - start + 1 === ref.length) {
      return start === end ? `p.${ref}${start}delins${alt}` : `p.${ref[0]}${start}_${ref.at(-1)}${end}delins${alt}`;
    }
  }
  // p.*123Q (stop lost) -> *123Qext*?
  if ((m = s.match(/^\*(\d+)([A-Z])$/))) return `p.*${m[1]}${m[2]}ext*?`;
  return text;
}

/**
 * A sample-to-tumour-type side file: two columns (sample, OncoTree code), tab,
 * comma or space separated, with an optional header. Errors name the line.
 */
export function parseSampleTumourTypes(text: string): Map<string, string> {
  const map = new Map<string, string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let header: Header | undefined;
  let sampleCol = 0;
  let typeCol = 1;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || isComment(line)) return;
    if (header === undefined) {
      const h = makeHeader(line, i + 1);
      const s = h.find('Tumor_Sample_Barcode', 'sample', 'sample_id', 'sampleid', 'SAMPLE_ID', 'case', 'case_id', 'id');
      const t = h.find(...TUMOUR_COLUMNS, 'oncotree', 'tumour', 'tumor', 'cancer_type', 'code');
      if (s >= 0 || t >= 0) {
        header = h;
        sampleCol = s >= 0 ? s : 0;
        typeCol = t >= 0 ? t : 1;
        return;
      }
      header = h; // no header row: this line is data
    }
    const cells = split(line, header.delimiter);
    const sample = cells[sampleCol]?.trim();
    const code = cells[typeCol]?.trim().toUpperCase();
    if (!sample || !code) {
      throw new InvalidInputError('profile/samples: incomplete line', [{ line: i + 1, message: 'expected a sample ID and an OncoTree code' }]);
    }
    if (!ONCOTREE_CODE.test(code)) {
      throw new InvalidInputError('profile/samples: invalid tumour type', [{ line: i + 1, path: header.columns[typeCol], message: `"${cells[typeCol]}" is not an OncoTree code (e.g. AML, LUAD)` }]);
    }
    map.set(sample, code);
  });
  return map;
}

interface Sample {
  builder: ProfileBuilder;
}

export async function* readMaf(src: OpenedSource, options: ReadOptions = {}): AsyncGenerator<ReadResult> {
  const lenient = options.lenient ?? false;
  const samples = new Map<string, Sample>();
  let header: Header | undefined;
  let col = { gene: -1, sample: -1, protein: -1, cls: -1, tumour: -1, chrom: -1, start: -1, ref: -1, alt: -1, build: -1, vaf: -1, tAlt: -1, tRef: -1, transcript: -1, exon: -1 };
  let records = 0;
  let skipped = 0;
  let unannotated = 0;
  let located = 0;
  const fatal: Array<{ line: number; path?: string; message: string }> = [];

  // With continueOnError (batch) and a source that can be read twice, a first pass finds each sample's
  // last row, so every profile is handed on as soon as it is complete: memory stays bounded by the
  // samples still open (one at a time for a MAF grouped by sample), not by the cohort.
  let lastRow: Map<string, number> | undefined;
  /** With options.sample: only that sample's rows are read. */
  const only = new OneSample(options.sample);
  let emitted = 0;
  let opened = 0;
  if (options.continueOnError && src.reopen) lastRow = await lastRowsBySample(await src.reopen());

  const processRow = (cells: string[], no: number): void => {
    const h = header!;
    records++;
    if (options.onProgress && records % 5000 === 0) options.onProgress({ records, profiles: emitted, bytes: src.bytesRead(), totalBytes: src.totalBytes });
    if (cells.length < Math.min(h.columns.length, Math.max(col.gene, col.sample) + 1)) {
      const msg = `expected ${h.columns.length} ${h.delimiter === '\t' ? 'tab-separated ' : ''}columns as in the header (line ${h.line}), found ${cells.length}`;
      if (lenient) skipped++;
      else if (fatal.length < 50) fatal.push({ line: no, message: msg });
      return;
    }
    const sampleName = cells[col.sample] ?? '';
    if (sampleName === '') {
      if (fatal.length < 50 && !lenient) fatal.push({ line: no, path: 'Tumor_Sample_Barcode', message: 'the sample barcode is empty' });
      return;
    }
    let s = samples.get(sampleName);
    if (!s) {
      let tt = options.tumourType ?? options.sampleTumourTypes?.get(sampleName);
      if (tt === undefined && col.tumour >= 0 && cells[col.tumour]) tt = cells[col.tumour];
      let checked: string | undefined;
      try {
        checked = checkTumourType(tt, h.columns[col.tumour] ?? 'tumourType', MODULE, no);
      } catch (err) {
        if (!(err instanceof InvalidInputError) || lenient) checked = undefined;
        else {
          fatal.push(...err.details.map((d) => ({ line: no, path: d.path, message: d.message })));
          checked = undefined;
        }
      }
      s = { builder: new ProfileBuilder({ id: (options.sampleId ?? toCaseId)(sampleName, `sample-${++opened}`), tumourType: checked, genes: options.genes, lenient, module: MODULE }) };
      samples.set(sampleName, s);
    }
    const b = s.builder;
    b.stats.records++;
    const cls = col.cls >= 0 ? (cells[col.cls] ?? '') : '';
    if (MAF_SKIPPED.has(cls.toLowerCase()) && !(options.keepSilent && cls.toLowerCase() === 'silent')) {
      skipped++;
      b.stats.skipped++;
      return;
    }
    const gene = cells[col.gene] ?? '';
    if (gene === '' || gene === 'Unknown' || gene === '.') {
      skipped++;
      b.stats.skipped++;
      return;
    }
    let change = col.protein >= 0 ? (cells[col.protein] ?? '').trim() : '';
    if (change === '.' || change === 'NA' || change === 'NULL') change = '';
    const where = { line: no, path: change !== '' ? h.columns[col.protein] : h.columns[col.cls] ?? 'Variant_Classification' };
    if (change === '') {
      if (/splice/i.test(cls)) change = 'splice';
      else {
        const placed = options.locate && col.chrom >= 0 && col.start >= 0 && col.alt >= 0
          ? options.locate(cells[col.chrom]!, Number(cells[col.start]), cells[col.ref] ?? '', cells[col.alt]!, /38/.test(cells[col.build] ?? '') ? 'GRCh38' : /37|19/.test(cells[col.build] ?? '') ? 'GRCh37' : options.build)
          : undefined;
        if (placed) {
          located++;
          b.stats.located = (b.stats.located ?? 0) + 1;
          b.add({ kind: 'mutation', gene: placed.gene, change: placed.change }, { line: no, path: 'Chromosome/Start_Position' });
        } else {
          unannotated++;
          b.stats.unannotated = (b.stats.unannotated ?? 0) + 1;
        }
        return;
      }
    }
    // "p.V600E" in HGVSp_Short; "ENSP...:p.Val600Glu" in HGVSp; legacy forms rewritten
    if (change.includes(':')) change = change.slice(change.lastIndexOf(':') + 1);
    if (!parseProteinChange(change)) {
      const legacy = legacyProteinChange(change);
      if (parseProteinChange(legacy)) change = legacy;
    }
    const p = parseProteinChange(change);
    if (p?.type === 'synonymous' && !options.keepSilent) {
      skipped++;
      b.stats.skipped++;
      return;
    }
    const input: Record<string, unknown> = { kind: 'mutation', gene, change };
    const vaf = mafVaf(cells, col);
    if (vaf !== undefined) input.vaf = vaf;
    if (col.transcript >= 0 && cells[col.transcript] && cells[col.transcript]!.length <= 64) input.transcript = cells[col.transcript];
    b.add(input, where);
  };

  for await (const row of tableRows(src, MODULE)) {
    if ('header' in row) {
      header = row.header;
      const h = header;
      col = {
        gene: h.find('Hugo_Symbol', 'Gene', 'gene_symbol', 'Symbol'),
        sample: h.find(...MAF_SAMPLE_COLUMNS),
        protein: h.find(...PROTEIN_COLUMNS),
        cls: h.find('Variant_Classification'),
        tumour: h.find(...TUMOUR_COLUMNS),
        chrom: h.find('Chromosome'),
        start: h.find('Start_Position', 'Start_position'),
        ref: h.find('Reference_Allele'),
        alt: h.find('Tumor_Seq_Allele2'),
        build: h.find('NCBI_Build'),
        vaf: h.find('i_TumorVAF_WU', 'tumor_vaf', 'VAF', 't_vaf'),
        tAlt: h.find('t_alt_count'),
        tRef: h.find('t_ref_count'),
        transcript: h.find('Transcript_ID', 'i_transcript_name', 'RefSeq'),
        exon: h.find('Exon_Number', 'EXON'),
      };
      const missing = MAF_REQUIRED.filter((_, i) => (i === 0 ? col.gene : col.sample) < 0);
      if (missing.length > 0) {
        throw new InvalidInputError(`${MODULE}: required column${missing.length > 1 ? 's' : ''} missing`, [
          { line: h.line, path: 'header', message: `a MAF needs the columns ${MAF_REQUIRED.join(' and ')}; missing ${missing.join(', ')} (found: ${columnList(h)})` },
        ]);
      }
      if (col.protein < 0 && (col.chrom < 0 || col.start < 0 || col.alt < 0)) {
        throw new InvalidInputError(`${MODULE}: no protein change and no coordinates`, [
          {
            line: h.line,
            path: 'header',
            message: `expected a protein-change column (${PROTEIN_COLUMNS.slice(0, 3).join(', ')}) or the coordinates Chromosome, Start_Position, Reference_Allele, Tumor_Seq_Allele2 (found: ${columnList(h)})`,
          },
        ]);
      }
      continue;
    }
    const { cells, no } = row;
    // One sample asked for (a single profile from a MAF of several): the other samples' rows are passed over.
    if (col.sample >= 0 && !only.keeps(cells[col.sample] ?? '')) continue;
    processRow(cells, no);
    // Streaming: a sample whose last row this was is complete; hand it on and free it.
    if (lastRow !== undefined) {
      const name = cells[col.sample] ?? '';
      const s = samples.get(name);
      if (s && lastRow.get(name) === no) {
        samples.delete(name);
        emitted++;
        yield finishProfile(s.builder, options.continueOnError);
      }
    }
  }

  if (fatal.length > 0) throw new InvalidInputError(`${MODULE}: ${fatal.length} unreadable line${fatal.length === 1 ? '' : 's'}`, fatal);
  only.check(MODULE, 'MAF', header?.columns[col.sample] ?? 'Tumor_Sample_Barcode');
  if (samples.size === 0 && emitted === 0) {
    throw new InvalidInputError(`${MODULE}: no records`, [{ line: (header?.line ?? 0) + 1, message: 'the MAF has a header but no mutation records' }]);
  }
  const summary: string[] = [];
  if (col.protein < 0) {
    summary.push(
      `this MAF has no protein-change column (HGVSp_Short, Protein_Change): ${unannotated} records could not be used${options.locate ? `, ${located} placed by coordinates` : ' (no coordinate matching configured)'}`,
    );
  } else if (unannotated > 0) summary.push(`${unannotated} records without a protein change were not used`);
  let profiles = emitted;
  for (const [, s] of samples) {
    for (const m of summary) s.builder.warn(m, { path: 'MAF' });
    const r = finishProfile(s.builder, options.continueOnError);
    profiles++;
    yield r;
  }
  options.onProgress?.({ records, profiles, bytes: src.bytesRead(), totalBytes: src.totalBytes });
  void skipped;
}

function mafVaf(cells: string[], col: { vaf: number; tAlt: number; tRef: number }): number | undefined {
  if (col.tAlt >= 0 && col.tRef >= 0) {
    const a = Number(cells[col.tAlt]);
    const r = Number(cells[col.tRef]);
    if (Number.isFinite(a) && Number.isFinite(r) && a + r > 0) return Math.round((a / (a + r)) * 10000) / 10000;
  }
  if (col.vaf >= 0) {
    let v = Number(cells[col.vaf]);
    if (!Number.isFinite(v)) return undefined;
    if (v > 1) v = v / 100;
    if (v >= 0 && v <= 1) return Math.round(v * 10000) / 10000;
  }
  return undefined;
}

/** First pass: the line of each sample's last row (the sample column only). */
async function lastRowsBySample(src: OpenedSource): Promise<Map<string, number> | undefined> {
  const last = new Map<string, number>();
  let sampleCol = -1;
  for await (const row of tableRows(src, MODULE)) {
    if ('header' in row) {
      sampleCol = row.header.find(...MAF_SAMPLE_COLUMNS);
      if (sampleCol < 0) return undefined;
      continue;
    }
    const name = row.cells[sampleCol];
    if (name) last.set(name, row.no);
  }
  return last;
}

/**
 * Tables as every reader sees them: a header line split into columns, column names compared with case, spaces, `_`,
 * `.`, `-`, quotes and a leading `#` aside (so that `Tumor_Sample_Barcode`, `tumor sample barcode` and
 * `#Tumor.Sample.Barcode` are one column), and the names by which the MAF, copy-number and fusion readers know their
 * columns, hence a table's kind and its samples. Plain strings, no Node APIs: the server's table readers
 * (server/profile/table.ts, maf.ts, cnv.ts, fusion.ts) and the board's intake (client/src/profile-input.ts).
 */
export const columnKey = (s: string): string => s.trim().replace(/^#/, '').replace(/^"|"$/g, '').toLowerCase().replace(/[\s_.'’-]+/g, '');

/** The MAF column naming each row's tumour sample, by any of the names the MAF reader accepts (in its order). */
export const MAF_SAMPLE_COLUMNS = ['Tumor_Sample_Barcode', 'Sample_ID', 'sample'] as const;

/** Does a header of these column names name MAF columns: Hugo_Symbol, and a barcode, classification or protein column? */
export function isMafHeader(columns: readonly string[]): boolean {
  const keys = columns.map(columnKey);
  return keys.includes(columnKey('Hugo_Symbol')) && ['Tumor_Sample_Barcode', 'Variant_Classification', 'HGVSp_Short'].some((c) => keys.includes(columnKey(c)));
}

/** A table's header line: its columns (trimmed, a leading `#` and quotes aside), and lookup by a column's usual names. */
export interface Header {
  columns: string[];
  line: number;
  delimiter: '\t' | ',' | 'space';
  /** Index of the first column named like one of `names` (case- and punctuation-insensitive), or -1. */
  find(...names: string[]): number;
}

/** The header of a table whose header is this line (line number `no`): tab-, comma- or space-separated. */
export function makeHeader(line: string, no: number): Header {
  const delimiter: Header['delimiter'] = line.includes('\t') ? '\t' : line.includes(',') ? ',' : 'space';
  const columns = split(line, delimiter).map((c) => c.trim().replace(/^#/, '').replace(/^"|"$/g, ''));
  const normalised = columns.map(columnKey);
  return {
    columns,
    line: no,
    delimiter,
    find: (...names: string[]) => {
      for (const n of names) {
        const i = normalised.indexOf(columnKey(n));
        if (i >= 0) return i;
      }
      return -1;
    },
  };
}

/** A line's cells: by tabs, by commas (with CSV's quoting), or by runs of spaces. */
export function split(line: string, delimiter: Header['delimiter']): string[] {
  if (delimiter === 'space') return line.trim().split(/\s+/);
  if (delimiter === '\t') return line.split('\t');
  // CSV with simple quoting
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** A comment line: starts with `#` and is not a header (headers like `#FusionName\t...` have delimiters). */
export function isComment(line: string): boolean {
  return isRowComment(line) && !/^#\s*(gene1|fusionname|fusion)/i.test(line);
}

/** A comment line among a table's rows, once its header is read: starts with `#` and holds no tab. */
export function isRowComment(line: string): boolean {
  return line.startsWith('#') && !line.includes('\t');
}

/** Copy-number tables' columns, by the names the copy-number reader accepts (server/profile/cnv.ts). */
export const CNV_GENE_COLUMNS: readonly string[] = ['gene', 'Hugo_Symbol', 'gene_symbol', 'symbol', 'genes', 'gene_name', 'GENE_ID'];
export const CNV_SAMPLE_COLUMNS: readonly string[] = ['Tumor_Sample_Barcode', 'sample', 'sample_id', 'SAMPLE_ID', 'case_id'];
export const CNV_CALL_COLUMNS: readonly string[] = ['call', 'cnv_call', 'cn_call', 'cna', 'cnv', 'alteration', 'event', 'status', 'type', 'variant_type', 'copy_number_call', 'cna_type', 'gistic'];
export const CNV_COPY_COLUMNS: readonly string[] = ['copy_number', 'cn', 'copies', 'total_cn', 'total_copy_number', 'absolute_cn', 'tcn', 'copynumber'];
export const CNV_LOG2_COLUMNS: readonly string[] = ['log2', 'log2_ratio', 'log2ratio', 'log2r', 'segment_mean', 'seg.mean', 'log2_copy_ratio', 'lrr'];
/** Columns of a gene-by-sample matrix that are not samples (besides the gene's). */
export const CNV_META_COLUMNS: readonly string[] = ['Entrez_Gene_Id', 'Cytoband', 'Locus ID', 'Gene ID', 'chromosome', 'start', 'end'];

/** Does a header line name a gene-level copy-number table's columns (or a segment table's with a value)? */
export function looksLikeCopyNumber(headerLine: string): boolean {
  const h = makeHeader(headerLine, 1);
  const value = h.find(...CNV_CALL_COLUMNS, ...CNV_COPY_COLUMNS, ...CNV_LOG2_COLUMNS, 'nMajor', 'nMinor');
  const gene = h.find(...CNV_GENE_COLUMNS);
  const segment = h.find('chromosome', 'chrom', 'chr') >= 0 && h.find('start', 'loc.start') >= 0 && h.find('end', 'loc.end') >= 0;
  return (gene >= 0 && (value >= 0 || h.find('Entrez_Gene_Id') >= 0)) || (segment && value >= 0);
}

/**
 * The sample columns of a gene-by-sample copy-number matrix (cBioPortal's data_CNA.txt): every column but the
 * gene's and the annotations' (CNV_META_COLUMNS). Undefined for a table of another shape: one without a gene column,
 * or with a call, copy-number or log2 column (one row per gene, and per sample when it has a sample column).
 */
export function copyNumberMatrixColumns(h: Header): number[] | undefined {
  const gene = h.find(...CNV_GENE_COLUMNS);
  if (gene < 0 || h.find(...CNV_CALL_COLUMNS, ...CNV_COPY_COLUMNS, ...CNV_LOG2_COLUMNS) >= 0) return undefined;
  const meta = new Set(CNV_META_COLUMNS.map((m) => h.find(m)).filter((i) => i >= 0));
  return h.columns.map((_, i) => i).filter((i) => i !== gene && !meta.has(i));
}

/** Fusion tables' columns, by the names the fusion reader accepts (server/profile/fusion.ts). */
export const FUSION_NAME_COLUMNS: readonly string[] = ['FusionName', 'FusionGene', 'fusion', 'fusion_name', 'fusion_gene', 'fusions', 'Fusion'];
export const FUSION_FIVE_COLUMNS: readonly string[] = ['gene1', 'LeftGene', 'Site1_Hugo_Symbol', "5'gene", '5prime_gene', 'five_prime_gene', 'gene_5', 'gene5', 'GeneA', 'Gene_A', 'left_gene', "5' partner", 'partner1', 'geneA'];
export const FUSION_THREE_COLUMNS: readonly string[] = ['gene2', 'RightGene', 'Site2_Hugo_Symbol', "3'gene", '3prime_gene', 'three_prime_gene', 'gene_3', 'gene3', 'GeneB', 'Gene_B', 'right_gene', "3' partner", 'partner2', 'geneB'];
export const FUSION_SAMPLE_COLUMNS: readonly string[] = ['Sample_Id', 'Tumor_Sample_Barcode', 'sample', 'sample_id'];

/** Does a header line name a fusion table's columns: a fusion name, or both partner genes? */
export function looksLikeFusions(headerLine: string): boolean {
  const h = makeHeader(headerLine, 1);
  return h.find(...FUSION_NAME_COLUMNS) >= 0 || (h.find(...FUSION_FIVE_COLUMNS) >= 0 && h.find(...FUSION_THREE_COLUMNS) >= 0);
}

/** Does a header name both partner genes' columns (5' and 3')? */
export function looksLikePartnerColumns(headerLine: string): boolean {
  const h = makeHeader(headerLine, 1);
  return h.find(...FUSION_FIVE_COLUMNS) >= 0 && h.find(...FUSION_THREE_COLUMNS) >= 0;
}

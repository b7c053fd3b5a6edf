/**
 * CIViC releases (https://civicdb.org, CC0): evidence and assertion TSVs in
 * both layouts, read into one normalised record.
 *
 * - 2021 layout (monthly release 01-Aug-2021): `gene`, `variant`, `drugs`,
 *   `drug_interaction_type`, `clinical_significance`, ...
 * - current layout (molecular profiles, 2022 on): `molecular_profile`,
 *   `therapies`, `therapy_interaction_type`, `significance`, ... The column
 *   list follows CIViC's own TSV formatter (EvidenceItemTsvFormatter and
 *   AssertionTsvFormatter in griffithlab/civic-v2).
 *
 * A molecular profile of the current layout is a display name such as
 * `BRAF V600E`, `BCR::ABL1 Fusion` or `EGFR L858R AND EGFR T790M`; the 2021
 * layout's gene + variant is read as the profile `<gene> <variant>`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { OpenDataError, readTsv, requireColumns, type TsvRow } from './tsv.ts';

export type CivicLayout = '2021' | 'current';

export interface CivicEvidence {
  line: number;
  file: string;
  layout: CivicLayout;
  /** EID (evidence) or AID (assertion) number. */
  id: number;
  kind: 'evidence' | 'assertion';
  /** Gene column (2021 layout) or the gene(s) named by the molecular profile. */
  gene?: string;
  /** Variant column (2021) or undefined (current: see profile). */
  variant?: string;
  /** Molecular profile display name (`BRAF V600E`); for the 2021 layout `<gene> <variant>`. */
  profile: string;
  disease: string;
  doid: string;
  therapies: string[];
  interaction: string;
  type: string;
  direction: string;
  level: string;
  significance: string;
  /** PubMed id or ASCO abstract id. */
  citationId: string;
  sourceType: string;
  /** Trust rating 1-5, when given. */
  rating?: number;
  status: string;
  nctIds: string[];
  /** CIViC's statement (used only to read the trial phase of level B items; never copied). */
  statement: string;
  /** Assertions: AMP category (`Tier I - Level A`), regulatory approval flag. */
  ampCategory?: string;
  regulatoryApproval?: boolean;
  /** Assertions: the evidence items it rests on. */
  evidenceIds?: number[];
}

const EVIDENCE_2021 = ['gene', 'variant', 'disease', 'doid', 'drugs', 'drug_interaction_type', 'evidence_type', 'evidence_direction', 'evidence_level', 'clinical_significance', 'citation_id', 'source_type', 'rating', 'evidence_status', 'evidence_id'];
const EVIDENCE_CURRENT = ['molecular_profile', 'disease', 'doid', 'therapies', 'therapy_interaction_type', 'evidence_type', 'evidence_direction', 'evidence_level', 'significance', 'citation_id', 'source_type', 'rating', 'evidence_status', 'evidence_id'];
const ASSERTION_2021 = ['gene', 'variant', 'disease', 'doid', 'drugs', 'assertion_type', 'assertion_direction', 'clinical_significance', 'amp_category', 'assertion_id'];
const ASSERTION_CURRENT = ['molecular_profile', 'disease', 'doid', 'therapies', 'assertion_type', 'assertion_direction', 'significance', 'amp_category', 'assertion_id'];

const LEVELS = new Set(['A', 'B', 'C', 'D', 'E']);

function layoutOf(header: string[]): CivicLayout {
  return header.includes('molecular_profile') ? 'current' : '2021';
}

function splitList(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter(Boolean);
}

function intField(row: TsvRow, col: string, file: string, required: boolean): number | undefined {
  const v = row.get(col);
  if (v === '' && !required) return undefined;
  if (!/^\d+$/.test(v)) throw new OpenDataError(file, row.line, `${col} must be a number, got "${v.slice(0, 40)}": the row is garbled`);
  return Number(v);
}

/** Read a CIViC evidence TSV (either layout). Throws OpenDataError on a truncated or garbled file. */
export function readCivicEvidence(path: string): CivicEvidence[] {
  const table = readTsv(path);
  const layout = layoutOf(table.header);
  requireColumns(table, layout === 'current' ? EVIDENCE_CURRENT : EVIDENCE_2021);
  const out: CivicEvidence[] = [];
  for (const row of table.rows) {
    const id = intField(row, 'evidence_id', path, true)!;
    const level = row.get('evidence_level');
    if (!LEVELS.has(level)) throw new OpenDataError(path, row.line, `evidence_level must be A-E, got "${level.slice(0, 40)}": the row is garbled`);
    const rating = intField(row, 'rating', path, false);
    if (rating !== undefined && (rating < 1 || rating > 5)) throw new OpenDataError(path, row.line, `rating must be 1-5, got ${rating}`);
    const gene = layout === '2021' ? row.get('gene') : undefined;
    const variant = layout === '2021' ? row.get('variant') : undefined;
    out.push({
      line: row.line,
      file: path,
      layout,
      id,
      kind: 'evidence',
      gene,
      variant,
      profile: layout === '2021' ? `${gene} ${variant}` : row.get('molecular_profile'),
      disease: row.get('disease'),
      doid: row.get('doid'),
      therapies: splitList(layout === '2021' ? row.get('drugs') : row.get('therapies')),
      interaction: layout === '2021' ? row.get('drug_interaction_type') : row.get('therapy_interaction_type'),
      type: row.get('evidence_type'),
      direction: row.get('evidence_direction'),
      level,
      significance: layout === '2021' ? row.get('clinical_significance') : row.get('significance'),
      citationId: row.get('citation_id'),
      sourceType: row.get('source_type'),
      rating,
      status: row.get('evidence_status'),
      nctIds: splitList(row.get('nct_ids')),
      statement: row.get('evidence_statement'),
    });
  }
  return out;
}

/** Read a CIViC assertion TSV (either layout). */
export function readCivicAssertions(path: string): CivicEvidence[] {
  const table = readTsv(path);
  const layout = layoutOf(table.header);
  requireColumns(table, layout === 'current' ? ASSERTION_CURRENT : ASSERTION_2021);
  return table.rows.map((row) => {
    const gene = layout === '2021' ? row.get('gene') : undefined;
    const variant = layout === '2021' ? row.get('variant') : undefined;
    return {
      line: row.line,
      file: path,
      layout,
      id: intField(row, 'assertion_id', path, true)!,
      kind: 'assertion' as const,
      gene,
      variant,
      profile: layout === '2021' ? `${gene} ${variant}` : row.get('molecular_profile'),
      disease: row.get('disease'),
      doid: row.get('doid'),
      therapies: splitList(layout === '2021' ? row.get('drugs') : row.get('therapies')),
      interaction: row.get(layout === '2021' ? 'drug_interaction_type' : 'therapy_interaction_type'),
      type: row.get('assertion_type'),
      direction: row.get('assertion_direction'),
      level: '',
      significance: layout === '2021' ? row.get('clinical_significance') : row.get('significance'),
      citationId: '',
      sourceType: '',
      status: row.has('status') ? row.get('status') : 'accepted',
      nctIds: [],
      statement: row.get('assertion_description'),
      ampCategory: row.get('amp_category'),
      regulatoryApproval: row.get('regulatory_approval') === 'true',
      evidenceIds: splitList(row.get('evidence_item_ids')).map(Number).filter(Number.isFinite),
    };
  });
}

/**
 * The evidence and assertion files of a CIViC release folder (or one file):
 * `*ClinicalEvidenceSummaries.tsv` and `*AssertionSummaries.tsv`.
 */
export function civicFiles(pathOrDir: string): { evidence?: string; assertions?: string } {
  if (!existsSync(pathOrDir)) throw new OpenDataError(pathOrDir, undefined, 'no such file or folder');
  if (!statSync(pathOrDir).isDirectory()) {
    return /Assertion/i.test(basename(pathOrDir)) ? { assertions: pathOrDir } : { evidence: pathOrDir };
  }
  const files = readdirSync(pathOrDir).sort();
  const pick = (re: RegExp) => {
    const f = files.find((x) => re.test(x));
    return f ? join(pathOrDir, f) : undefined;
  };
  return { evidence: pick(/ClinicalEvidenceSummaries\.tsv(\.gz)?$/i), assertions: pick(/AssertionSummaries\.tsv(\.gz)?$/i) };
}

/** Accepted predictive evidence: what the importer and the validation read. */
export function isAcceptedPredictive(e: CivicEvidence): boolean {
  return e.type === 'Predictive' && (e.status === '' || e.status === 'accepted');
}

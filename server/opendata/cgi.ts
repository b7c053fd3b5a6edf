/**
 * Cancer Genome Interpreter biomarkers (https://www.cancergenomeinterpreter.org,
 * "cgi_biomarkers_per_variant.tsv", 2017 release): one row per biomarker and,
 * for variant lists, per individual mutation.
 */
import { readTsv } from './tsv.ts';

export interface CgiBiomarker {
  line: number;
  file: string;
  /** `BRAF:V600E`, `ERBB2:amp`, `ALK__.`, `EGFR:L858R,G719A`, `KRAS:.`; compounds joined by ` + `. */
  alteration: string;
  /** MUT, CNA, FUS, EXPR, BIA, or joined with `;` for compounds. */
  alterationType: string;
  /** Responsive, Resistant, No Responsive, Increased Toxicity (...). */
  association: string;
  biomarker: string;
  /** Drugs as written: `Vemurafenib`, `[Nilotinib,Dasatinib]`, `Dabrafenib;Trametinib`, `[]` (family only). */
  drugs: string[];
  /** Several drugs joined with `;` are given together. */
  combination: boolean;
  drugFamily: string;
  drugStatus: string;
  evidenceLevel: string;
  gene: string;
  tumours: string[];
  tumourNames: string[];
  /** PMIDs of the Source column. */
  pmids: string[];
  /** The other sources: FDA, NCCN, ASCO abstracts, ... */
  otherSources: string[];
  /** The variant this row stands for (`BRAF:V600E`), when it lists one. */
  individualMutation: string;
}

const REQUIRED = ['Alteration', 'Alteration type', 'Association', 'Biomarker', 'Drug', 'Drug status', 'Evidence level', 'Gene', 'Primary Tumor acronym', 'Source'];

function drugList(s: string): { drugs: string[]; combination: boolean } {
  const t = s.trim();
  if (t === '' || t === '[]') return { drugs: [], combination: false };
  if (t.startsWith('[') && t.endsWith(']')) {
    // [A,B]: alternatives (any of them), written as a list
    return { drugs: t.slice(1, -1).split(',').map((x) => x.trim()).filter(Boolean), combination: false };
  }
  const parts = t.split(/\s*;\s*/).filter(Boolean);
  return { drugs: parts, combination: parts.length > 1 };
}

export function readCgiBiomarkers(path: string): CgiBiomarker[] {
  const table = readTsv(path, { required: REQUIRED });
  return table.rows.map((row) => {
    const { drugs, combination } = drugList(row.get('Drug'));
    const sources = row.get('Source').split(/\s*;\s*/).filter(Boolean);
    const pmids: string[] = [];
    const other: string[] = [];
    for (const s of sources) {
      const m = s.match(/^PMID:\s*(\d+)$/i);
      if (m) pmids.push(m[1]!);
      else other.push(s);
    }
    return {
      line: row.line,
      file: path,
      alteration: row.get('Alteration'),
      alterationType: row.get('Alteration type'),
      association: row.get('Association'),
      biomarker: row.get('Biomarker'),
      drugs,
      combination,
      drugFamily: row.get('Drug family'),
      drugStatus: row.get('Drug status'),
      evidenceLevel: row.get('Evidence level'),
      gene: row.get('Gene'),
      tumours: row.get('Primary Tumor acronym').split(';').map((x) => x.trim()).filter(Boolean),
      tumourNames: row.get('Primary Tumor type').split(';').map((x) => x.trim()).filter(Boolean),
      pmids,
      otherSources: other,
      individualMutation: row.get('individual_mutation'),
    };
  });
}

/**
 * The ranking as CSV (RFC 4180): a header row, one row per ranked therapy,
 * CRLF line ends, fields quoted when they hold a comma, quote, CR or LF (quotes
 * doubled). Text cells that a spreadsheet would read as a formula (= + - @,
 * tab, CR) get a leading apostrophe (OWASP CSV injection); numbers are left as numbers.
 * The columns after `date` were added later, at the end, so that readers by position keep working: the partner
 * drugs of a study for the items that carry them, then the labels that make a therapy on-label (RankedTherapy.labelled).
 */
import { therapyCitations, type ReportModel } from './model.ts';
import { backboneDrugs } from '../domain/regimen.ts';

export const CSV_COLUMNS = [
  'case_id', 'tumour_type', 'rank', 'therapy', 'drugs', 'class', 'tier', 'oncokb_level', 'score', 'positive', 'negative',
  'alterations', 'evidence_count', 'evidence_ids', 'citations', 'board_decision', 'kb_name', 'kb_version', 'kb_hash',
  'scoring_version', 'agency', 'date', 'study_partner_drugs', 'on_label_by_label',
] as const;

/** One RFC 4180 field. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let s = value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const round = (x: number) => Math.round(x * 100) / 100 + 0; // + 0 turns -0 into 0

export function renderCsv(m: ReportModel): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const t of m.therapies) {
    rows.push(
      [
        m.caseId,
        m.tumourType.code,
        t.rank,
        t.id,
        t.drugs.join(';'),
        t.class,
        t.tier,
        t.oncokb,
        round(t.score),
        round(t.positive),
        round(t.negative),
        t.alterations.join(';'),
        t.evidence.filter((e) => !e.superiority).length, // evidence items; a randomised-comparison lift is not one
        t.evidence.map((e) => e.id).join(';'),
        therapyCitations(t).join(';'),
        m.decision?.therapyId === t.id ? 'chosen' : '',
        m.kb.name,
        m.kb.version,
        m.kb.hash,
        m.scoring.version,
        m.scoring.agency,
        m.date,
        // The partner drugs an item's study gave the therapy with (`backbone`): "item-id: docetaxel", one entry per item.
        [...new Set(t.evidence.filter((e) => e.backbone).map((e) => `${e.id}: ${backboneDrugs(e.backbone!)}`))].join(';'),
        // The labels that make it on-label, when they are the reason: "temozolomide: FDA GB", one entry per drug.
        (t.labelled ?? []).map((l) => `${l.drug}: ${l.agency} ${l.tumour}`).join(';'),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}

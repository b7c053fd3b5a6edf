/** Plain-text rendering of a rank result for the terminal. */
import type { RankResult } from '../domain/result.ts';
import { driverText } from '../domain/driver-text.ts';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function formatRankTable(r: RankResult, limit = 25): string {
  const lines: string[] = [];
  lines.push(`Case ${r.id}  tumour ${r.tumourType ?? '(none)'}  knowledge base ${r.kb.version} ${r.kb.hash}  scoring v${r.scoring.version} (${r.scoring.agency})`);
  lines.push('');
  lines.push('Alterations');
  for (const a of r.alterations) lines.push(`  ${pad(a.key, 24)} ${pad(driverText(a), 20)} ${a.matched.length} biomarker(s)`);
  lines.push('');
  // The top of the ranking, and every therapy to avoid, however far down.
  const shown = r.therapies.map((t, i) => ({ t, i })).filter(({ t, i }) => i < limit || t.class === 'not-recommended');
  const rows = shown.map(({ t, i }) => {
    const pmids = [...new Set(t.evidence.flatMap((e) => e.sources.flatMap((s) => ('pmid' in s ? [s.pmid] : 'label' in s ? [`${s.label} label`] : []))))];
    return [
      String(i + 1),
      t.drugs.join(' + '),
      t.score.toFixed(1),
      t.positive.toFixed(1),
      t.negative.toFixed(1),
      t.class,
      t.tier,
      t.oncokb ?? '-',
      t.alterations.join(', '),
      pmids.slice(0, 3).join(', ') + (pmids.length > 3 ? ', ...' : ''),
    ];
  });
  const header = ['#', 'therapy', 'score', '+', '-', 'class', 'tier', 'OncoKB', 'alterations', 'sources'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!))).join('  ');
  if (rows.length === 0) lines.push('No therapy matched this profile.');
  else {
    lines.push(line(header));
    for (const row of rows) lines.push(line(row));
    if (r.therapies.length > shown.length) lines.push(`... and ${r.therapies.length - shown.length} more (use --json for all)`);
  }
  if (r.warnings.length > 0) {
    lines.push('');
    lines.push('Warnings');
    for (const w of r.warnings) lines.push(`  - ${w}`);
  }
  return lines.join('\n');
}

/**
 * `mtbnet validate civic|cgi|civic-assertions [--json] [--out FILE] [--data DIR] [--imports a,b]`:
 * how often the ranking finds what an open reference says (server/validate/).
 * Runs with the curated knowledge base only unless --imports is given, and says which.
 */
import { writeFileSync } from 'node:fs';
import { KnowledgeBaseError, formatDetails } from '../../domain/errors.ts';
import { openDataDir } from '../../opendata/paths.ts';
import { OpenDataError } from '../../opendata/tsv.ts';
import { REFERENCES, validate, type Reference, type Tally, type ValidationReport } from '../../validate/index.ts';
import { UsageError, type Io } from '../io.ts';

export interface ValidateArgs {
  reference?: string;
  evidence?: string;
  data?: string;
  json?: boolean;
  out?: string;
  imports?: string[];
}

export async function validateCommand(args: ValidateArgs, io: Io): Promise<number> {
  if (!args.reference || !(REFERENCES as readonly string[]).includes(args.reference)) {
    throw new UsageError(`validate: name the reference: ${REFERENCES.join(' | ')}`);
  }
  try {
    const { report } = validate(args.reference as Reference, {
      dataDir: openDataDir(args.data),
      evidenceDir: args.evidence ?? process.env.MTBNET_EVIDENCE_DIR,
      imports: args.imports ?? [],
    });
    const json = `${JSON.stringify(report, null, 2)}\n`;
    if (args.out) writeFileSync(args.out, json);
    io.stdout(args.json ? json : formatValidation(report));
    return 0;
  } catch (e) {
    if (e instanceof OpenDataError) {
      io.stderr(`validate ${args.reference}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof KnowledgeBaseError) {
      io.stderr(`validate ${args.reference}: ${e.message}\n${formatDetails(e.details).replace(/^/gm, '  ')}\n`);
      return 2;
    }
    throw e;
  }
}

const pct = (k: number, n: number) => (n === 0 ? '   -  ' : `${((100 * k) / n).toFixed(1).padStart(5)}%`);

function row(name: string, t: Tally): string {
  return `  ${name.padEnd(28)} ${String(t.items).padStart(5)} ${String(t.unmapped).padStart(8)} ${String(t.sensitivity).padStart(5)} ${pct(t.hit1, t.sensitivity)} ${pct(t.hit3, t.sensitivity)} ${pct(t.hit10, t.sensitivity)} ${String(t.resistance).padStart(5)} ${pct(t.resistance_flagged, t.resistance)}`;
}

export function formatValidation(r: ValidationReport): string {
  const c = r.counts;
  const lines: string[] = [];
  lines.push(`validate ${r.reference}: ${r.source}`);
  lines.push(`  knowledge base ${r.knowledgeBase.name} ${r.knowledgeBase.version} (${r.knowledgeBase.hash}); ${r.note}`);
  lines.push(`  items ${r.items}, unmapped ${r.unmapped} (alteration not understood or tumour type not mapped)`);
  lines.push(`  sensitivity items ${c.sensitivity}: hit@1 ${pct(c.hit1, c.sensitivity).trim()}, hit@3 ${pct(c.hit3, c.sensitivity).trim()}, hit@10 ${pct(c.hit10, c.sensitivity).trim()}`);
  lines.push(`  resistance items ${c.resistance}: flagged ${pct(c.resistance_flagged, c.resistance).trim()}`);
  lines.push(`  not selected: ${Object.entries(r.excluded).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
  const header = `  ${''.padEnd(28)} ${'items'.padStart(5)} ${'unmapped'.padStart(8)} ${'sens'.padStart(5)} ${'hit@1'.padStart(6)} ${'hit@3'.padStart(6)} ${'hit@10'.padStart(6)} ${'resist'.padStart(5)} ${'flagged'.padStart(6)}`;
  for (const [title, m] of [['by level', r.byLevel], ['by alteration kind', r.byKind], ['by tumour lineage', r.byLineage]] as const) {
    lines.push('');
    lines.push(`${title}`);
    lines.push(header);
    for (const [k, t] of Object.entries(m)) lines.push(row(k, t));
  }
  lines.push('');
  lines.push(`misses by reason: ${Object.entries(r.missReasons).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
  lines.push('largest miss groups:');
  for (const g of r.missGroups.slice(0, 15)) lines.push(`  ${String(g.count).padStart(4)}  ${g.reason}: ${g.detail}  e.g. ${g.examples[0]}`);
  lines.push('');
  lines.push('misses (id, level, direction, variant / therapy / disease -> tumour: reason, detail):');
  for (const m of r.misses) lines.push(`  ${m.id} ${m.level} ${m.direction}  ${m.label} / ${m.drugs} / ${m.disease} -> ${m.tumour ?? '-'}: ${m.reason}: ${m.detail}`);
  return `${lines.join('\n')}\n`;
}

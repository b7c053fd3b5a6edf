/**
 * `mtbnet import cgi <file>`: Cancer Genome Interpreter biomarkers ->
 * evidence/imports/cgi.yaml. CGI lists one row per individual mutation of a
 * variant list; rows of one biomarker, drug, tumour type and association are
 * one evidence item. Levels: server/opendata/levels.ts.
 */
import { createHash } from 'node:crypto';
import type { EvidenceItem, Source } from '../domain/knowledge.ts';
import { EvidenceItem as EvidenceItemSchema } from '../domain/knowledge.ts';
import type { CgiBiomarker } from '../opendata/cgi.ts';
import { cgiDirection, cgiLevel } from '../opendata/levels.ts';
import { mapCgiAlteration } from '../opendata/variants.ts';
import type { Unmapped } from './import-common.ts';
import { tumourFor, type BuiltImport, type ImportContext } from './import-civic.ts';

const CGI_URL = 'https://www.cancergenomeinterpreter.org/biomarkers';

/** The key that makes rows one item; the id is a short hash of it, stable across runs. */
export function cgiKey(r: CgiBiomarker): string {
  return [r.alteration, r.drugs.join(r.combination ? '+' : '|'), r.tumours.join(';'), r.association, r.evidenceLevel].join('\u0000');
}

function sourcesOf(r: CgiBiomarker): Source[] {
  const out: Source[] = [...new Set(r.pmids)].filter((p) => /^[1-9]\d{0,8}$/.test(p)).map((pmid) => ({ pmid }));
  if (r.otherSources.some((s) => /^FDA$/i.test(s))) out.push({ label: 'FDA' });
  for (const s of r.otherSources) {
    const nct = s.match(/^NCT\d{8}$/);
    if (nct) out.push({ nct: nct[0] });
  }
  out.push({ url: CGI_URL });
  return out;
}

export function buildCgiImport(rows: readonly CgiBiomarker[], ctx: ImportContext): BuiltImport {
  const items: EvidenceItem[] = [];
  const unmapped: Unmapped[] = [];
  const seen = new Map<string, boolean>();
  let considered = 0;
  let mapped = 0;
  for (const r of rows) {
    const key = cgiKey(r);
    if (seen.has(key)) continue; // another individual mutation of a biomarker already read
    considered++;
    const id = `cgi-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
    const fail = (group: string, reason: string) => {
      seen.set(key, false);
      unmapped.push({ line: r.line, id, what: `${r.biomarker} / ${r.drugs.join(r.combination ? ' + ' : ', ') || r.drugFamily || '-'} / ${r.tumours.join(';')}`, reason, group });
    };
    const direction = cgiDirection(r.association);
    if (!direction) {
      fail('significance not representable', `association "${r.association}"`);
      continue;
    }
    const level = cgiLevel(r.evidenceLevel);
    if (!level) {
      fail('level not imported', `evidence level "${r.evidenceLevel}"`);
      continue;
    }
    const variant = mapCgiAlteration(r.alteration, r.alterationType, '', { genes: ctx.genes });
    if (!variant.ok) {
      fail('variant not understood', variant.reason);
      continue;
    }
    const tumour = tumourFor(ctx, ctx.diseases.cgi(r.tumours));
    if (!tumour.code) {
      fail(tumour.group!, tumour.reason!);
      continue;
    }
    if (r.drugs.length === 0) {
      fail('no therapy', `only a drug family is named (${r.drugFamily || 'none'})`);
      continue;
    }
    const resolved = r.drugs.map((d) => ({ given: d, name: ctx.drugs(d) }));
    const unknown = resolved.filter((d) => !d.name).map((d) => d.given);
    const therapies = r.combination ? (unknown.length ? [] : [resolved.map((d) => d.name!)]) : resolved.filter((d) => d.name).map((d) => [d.name!]);
    if (therapies.length === 0) {
      fail('drug not in the knowledge base', `drug(s) not in drugs.yaml: ${unknown.join(', ')}`);
      continue;
    }
    seen.set(key, true);
    mapped++;
    for (const drugs of therapies) {
      const therapy = drugs.length === 1 ? drugs[0]! : [...new Set(drugs)].sort();
      const item: EvidenceItem = {
        id: therapies.length > 1 ? `${id}-${drugs[0]!.replace(/\s+/g, '-')}` : id,
        biomarker: variant.criteria,
        therapy,
        tumour: tumour.code,
        level,
        direction,
        statement: `Imported from the Cancer Genome Interpreter (${r.evidenceLevel}): ${r.biomarker} in ${r.tumourNames.join(', ') || r.tumours.join(', ')}, ${r.association.toLowerCase()} to ${r.drugs.join(r.combination ? ' + ' : ' or ')}.`,
        sources: sourcesOf(r),
      };
      const check = EvidenceItemSchema.safeParse(item);
      if (!check.success) {
        unmapped.push({ line: r.line, id, what: r.biomarker, reason: check.error.issues.map((i) => i.message).join('; '), group: 'invalid item' });
        continue;
      }
      items.push(item);
    }
    if (unknown.length > 0) unmapped.push({ line: r.line, id, what: r.biomarker, reason: `alternative drug(s) not in drugs.yaml: ${unknown.join(', ')}`, group: 'drug not in the knowledge base (partly imported)' });
  }
  return { items, considered, mapped, unmapped };
}

/**
 * CGI reference items: biomarkers at FDA or guideline level (FDA, NCCN,
 * NCCN/CAP, ESMO, European LeukemiaNet; CPIC pharmacogenomics excluded),
 * responsive or resistant. One item per individual mutation (the variant a
 * patient has), drug (alternatives in `[A,B]` split, combinations `A;B` kept)
 * and tumour type.
 */
import type { CgiBiomarker } from '../opendata/cgi.ts';
import { cgiDirection, isCgiGuideline } from '../opendata/levels.ts';
import { mapCgiAlteration } from '../opendata/variants.ts';
import type { SelectContext } from './civic.ts';
import { placeTumour } from './place.ts';
import { itemDrugs } from './drugs.ts';
import type { ValidationItem } from './types.ts';

export function selectCgi(rows: readonly CgiBiomarker[], ctx: SelectContext, excluded: Record<string, number>): ValidationItem[] {
  const out: ValidationItem[] = [];
  const seen = new Set<string>();
  const skip = (why: string) => (excluded[why] = (excluded[why] ?? 0) + 1);
  for (const r of rows) {
    if (!isCgiGuideline(r.evidenceLevel)) {
      skip(/cpic/i.test(r.evidenceLevel) ? 'CPIC (pharmacogenomic) level' : 'below guideline level');
      continue;
    }
    const dir = cgiDirection(r.association);
    if (dir !== 'sensitivity' && dir !== 'resistance') {
      skip('association not responsive or resistant');
      continue;
    }
    const groups = r.drugs.length === 0 ? [] : r.combination ? [r.drugs] : r.drugs.map((d) => [d]);
    if (groups.length === 0) {
      skip('drug family only');
      continue;
    }
    const variant = mapCgiAlteration(r.alteration, r.alterationType, r.individualMutation, { genes: ctx.genes });
    const label = r.individualMutation ? r.individualMutation.replace(':', ' ') : r.biomarker;
    for (const tumourAcronym of r.tumours.length ? r.tumours : ['']) {
      const mapped = ctx.diseases.cgi(tumourAcronym ? [tumourAcronym] : []);
      const place = placeTumour(ctx.diseases, mapped.code, ctx.tumours);
      for (const g of groups) {
        const key = [label, g.join('+'), tumourAcronym, dir].join('|');
        if (seen.has(key)) continue;
        seen.add(key);
        const item: ValidationItem = {
          id: `cgi:${r.line}:${g.join('+').toLowerCase().replace(/\s+/g, '-')}:${tumourAcronym}`,
          line: r.line,
          level: r.evidenceLevel,
          direction: dir,
          label,
          disease: r.tumourNames[r.tumours.indexOf(tumourAcronym)] ?? tumourAcronym,
          drugsGiven: g,
          ...itemDrugs(g, ctx.drugs),
          gene: r.gene.split(/[;,]/)[0],
          oncotree: mapped.code,
          tumour: place?.tumour,
          lineage: place?.lineage,
        };
        if (!variant.ok) item.unmapped = { reason: 'alteration not understood', detail: variant.reason };
        else {
          item.kind = variant.kind;
          if (!variant.alterations) item.unmapped = { reason: 'alteration not understood', detail: `not a single variant: ${variant.noProfile ?? 'category'}` };
          else item.alterations = withBcrAbl1(variant.alterations, item.gene, mapped.code);
        }
        if (!item.unmapped && !place) item.unmapped = { reason: 'tumour type not mapped', detail: mapped.how };
        out.push(item);
      }
    }
  }
  return out;
}

/**
 * CGI lists BCR-ABL1 kinase-domain mutations of CML and Ph+ ALL as `ABL1:T315I`;
 * the patient also carries the BCR::ABL1 fusion (CIViC writes `BCR-ABL T315I`).
 */
function withBcrAbl1(alts: ValidationItem['alterations'], gene: string | undefined, code: string | undefined): ValidationItem['alterations'] {
  if (gene !== 'ABL1' || !alts || !code || !['CML', 'BLL', 'MPN', 'MNM', 'LNM'].includes(code)) return alts;
  if (alts.some((a) => a.kind === 'fusion')) return alts;
  return [{ kind: 'fusion', gene: 'ABL1', partner: 'BCR' }, ...alts];
}

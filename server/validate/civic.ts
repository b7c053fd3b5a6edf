/**
 * CIViC reference items: accepted predictive evidence of level A or B (or
 * AMP tier I/II assertions) with a clear significance (sensitivity/response or
 * resistance, supported), one drug or a combination (substitutes: one item
 * per drug), and the profile a patient with the variant would have.
 */
import { isAcceptedPredictive, type CivicEvidence } from '../opendata/civic.ts';
import type { DiseaseMapper } from '../opendata/disease.ts';
import type { DrugLookup } from '../opendata/drugs.ts';
import { mapCivicRecord, type CategoryRepresentative, type Representative } from '../opendata/variants.ts';
import type { GeneResolver } from '../domain/alteration.ts';
import { placeTumour } from './place.ts';
import { itemDrugs } from './drugs.ts';
import type { ValidationItem } from './types.ts';

export interface SelectContext {
  diseases: DiseaseMapper;
  drugs: DrugLookup;
  tumours: ReadonlySet<string>;
  genes?: GeneResolver;
  representative?: Representative;
  category?: CategoryRepresentative;
}

export function selectCivic(records: readonly CivicEvidence[], ctx: SelectContext, excluded: Record<string, number>): ValidationItem[] {
  const out: ValidationItem[] = [];
  const skip = (why: string) => (excluded[why] = (excluded[why] ?? 0) + 1);
  for (const e of records) {
    const assertion = e.kind === 'assertion';
    if (assertion) {
      if (e.type !== 'Predictive') continue;
      if (!/^Tier (I|II)\b/.test(e.ampCategory ?? '')) {
        skip('assertion not AMP tier I/II');
        continue;
      }
    } else {
      if (!isAcceptedPredictive(e)) continue;
      if (e.level !== 'A' && e.level !== 'B') {
        skip('level C-E');
        continue;
      }
    }
    if (e.direction !== 'Supports' || (e.significance !== 'Sensitivity/Response' && e.significance !== 'Resistance')) {
      skip('significance not clear (not supported, reduced sensitivity, adverse, N/A)');
      continue;
    }
    if (e.therapies.length === 0) {
      skip('no therapy');
      continue;
    }
    if (e.interaction === 'Sequential') {
      skip('sequential therapy');
      continue;
    }
    const direction = e.significance === 'Resistance' ? 'resistance' : 'sensitivity';
    const level = assertion ? (e.ampCategory ?? '').replace(/ - .*/, '') : e.level;
    const groups = e.interaction === 'Combination' || e.therapies.length === 1 ? [e.therapies] : e.therapies.map((t) => [t]);
    const variant = mapCivicRecord(e, { genes: ctx.genes, representative: ctx.representative, category: ctx.category });
    const mapped = ctx.diseases.civic(e.disease, e.doid);
    const place = placeTumour(ctx.diseases, mapped.code, ctx.tumours);
    for (const g of groups) {
      const base = assertion ? `AID${e.id}` : `EID${e.id}`;
      const item: ValidationItem = {
        id: groups.length > 1 ? `${base}/${g[0]!.toLowerCase()}` : base,
        line: e.line,
        level,
        direction,
        label: e.profile,
        disease: e.disease,
        drugsGiven: g,
        ...itemDrugs(g, ctx.drugs),
        gene: e.gene ?? e.profile.split(/[\s:]+/)[0],
        oncotree: mapped.code,
        tumour: place?.tumour,
        lineage: place?.lineage,
      };
      if (!variant.ok) item.unmapped = { reason: 'alteration not understood', detail: variant.reason };
      else {
        item.kind = variant.kind;
        if (!variant.alterations) item.unmapped = { reason: 'alteration not understood', detail: `not a single variant: ${variant.noProfile ?? 'category'}` };
        else item.alterations = variant.alterations;
      }
      if (!item.unmapped && !place) item.unmapped = { reason: 'tumour type not mapped', detail: mapped.how };
      out.push(item);
    }
  }
  return out;
}

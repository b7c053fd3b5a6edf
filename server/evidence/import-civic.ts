/**
 * `mtbnet import civic <dir|file>`: accepted predictive CIViC evidence (either
 * layout) -> evidence/imports/civic.yaml, in our format and our words, with
 * CIViC's origin (the file name), trust rating (quality = stars / 5) and the
 * level mapping of server/opendata/levels.ts. Every row not imported is
 * reported with its line and reason. Idempotent: a second run over the same
 * release writes nothing.
 */
import type { Direction, EvidenceItem, Level, Source } from '../domain/knowledge.ts';
import { EvidenceItem as EvidenceItemSchema } from '../domain/knowledge.ts';
import { civicFiles, isAcceptedPredictive, readCivicEvidence, type CivicEvidence } from '../opendata/civic.ts';
import { nearestKnown, type DiseaseMapper } from '../opendata/disease.ts';
import type { DrugLookup } from '../opendata/drugs.ts';
import { civicDirection, civicLevel, civicQuality } from '../opendata/levels.ts';
import { mapCivicRecord } from '../opendata/variants.ts';
import type { GeneResolver } from '../domain/alteration.ts';
import { OpenDataError } from '../opendata/tsv.ts';
import type { Unmapped } from './import-common.ts';

export interface ImportContext {
  diseases: DiseaseMapper;
  drugs: DrugLookup;
  /** Tumour codes of the knowledge base's tumour-types.yaml. */
  tumours: ReadonlySet<string>;
  genes?: GeneResolver;
}

export interface BuiltImport {
  items: EvidenceItem[];
  considered: number;
  mapped: number;
  unmapped: Unmapped[];
}

/** Map a disease to a tumour code the knowledge base has, never silently widening it to tumour-agnostic. */
export function tumourFor(ctx: ImportContext, mapped: { code?: string; how: string }): { code?: string; reason?: string; group?: string } {
  if (!mapped.code) return { reason: mapped.how, group: 'disease not mapped to OncoTree' };
  const near = nearestKnown(ctx.diseases.tree, mapped.code, ctx.tumours);
  if (!near || (near === 'TISSUE' && mapped.code !== 'TISSUE')) {
    return { reason: `OncoTree ${mapped.code} and its parents are not in tumour-types.yaml`, group: 'tumour type not in the knowledge base' };
  }
  return { code: near };
}

const phrase: Record<Direction, string> = {
  sensitivity: 'supports sensitivity to',
  resistance: 'supports resistance to',
  'no-benefit': 'does not support benefit from',
  adverse: 'supports an adverse response to',
};

function civicSources(e: CivicEvidence): Source[] {
  const out: Source[] = [];
  if (e.sourceType === 'PubMed' && /^[1-9]\d{0,8}$/.test(e.citationId)) out.push({ pmid: e.citationId });
  out.push({ url: `https://civicdb.org/links/evidence_items/${e.id}` });
  return out;
}

export function buildCivicImport(records: readonly CivicEvidence[], ctx: ImportContext): BuiltImport {
  const items: EvidenceItem[] = [];
  const unmapped: Unmapped[] = [];
  let considered = 0;
  let mapped = 0;
  const representative = representativeChanges(records);
  for (const e of records) {
    if (!isAcceptedPredictive(e)) continue;
    considered++;
    const eid = `EID${e.id}`;
    const skip = (group: string, reason: string) => unmapped.push({ line: e.line, id: eid, what: `${e.profile} / ${e.therapies.join(', ') || '-'} / ${e.disease}`, reason, group });
    const direction = civicDirection(e.significance, e.direction);
    if (!direction) {
      skip('significance not representable', `significance "${e.significance || '(none)'}" with direction "${e.direction}"`);
      continue;
    }
    const variant = mapCivicRecord(e, { genes: ctx.genes, representative });
    if (!variant.ok) {
      skip('variant not understood', variant.reason);
      continue;
    }
    const tumour = tumourFor(ctx, ctx.diseases.civic(e.disease, e.doid));
    if (!tumour.code) {
      skip(tumour.group!, tumour.reason!);
      continue;
    }
    if (e.therapies.length === 0) {
      skip('no therapy', 'no therapy named');
      continue;
    }
    if (e.interaction === 'Sequential') {
      skip('sequential therapy', 'sequential therapies are not represented (a therapy is one drug or a combination)');
      continue;
    }
    const level = civicLevel(e.level, e.statement) as Level;
    const resolved = e.therapies.map((t) => ({ given: t, name: ctx.drugs(t) }));
    const unknown = resolved.filter((d) => !d.name).map((d) => d.given);
    // Substitutes: one item per drug; combinations (or a single drug): one item for all of them.
    const therapies: string[][] =
      e.interaction === 'Substitutes' || (e.interaction === '' && e.therapies.length > 1)
        ? resolved.filter((d) => d.name).map((d) => [d.name!])
        : unknown.length > 0
          ? []
          : [resolved.map((d) => d.name!)];
    if (therapies.length === 0) {
      skip('drug not in the knowledge base', `drug(s) not in drugs.yaml: ${unknown.join(', ')}`);
      continue;
    }
    const split = therapies.length > 1 || (e.therapies.length > 1 && therapies[0]!.length === 1);
    for (const drugs of therapies) {
      const therapy = drugs.length === 1 ? drugs[0]! : [...new Set(drugs)].sort();
      const item: EvidenceItem = {
        id: split ? `civic-${eid}-${drugs[0]!.replace(/\s+/g, '-')}` : `civic-${eid}`,
        biomarker: variant.criteria,
        therapy,
        tumour: tumour.code,
        level,
        direction,
        statement: `Imported from CIViC ${eid} (level ${e.level}, ${e.rating ?? 'no'} star${e.rating === 1 ? '' : 's'}): ${e.profile} in ${e.disease} ${phrase[direction]} ${e.therapies.join(e.interaction === 'Combination' ? ' + ' : ' or ')}.`,
        sources: civicSources(e),
        quality: civicQuality(e.rating),
      };
      const check = EvidenceItemSchema.safeParse(item);
      if (!check.success) {
        skip('invalid item', check.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        continue;
      }
      items.push(item);
    }
    if (unknown.length > 0) skip('drug not in the knowledge base (partly imported)', `substitute drug(s) not in drugs.yaml: ${unknown.join(', ')}`);
    mapped++;
  }
  return { items, considered, mapped, unmapped };
}

/**
 * The most cited exact change at each residue (`KRAS G12` -> G12D), read from
 * the same release: what a position-level item stands for in a patient.
 */
export function representativeChanges(records: readonly CivicEvidence[]): (gene: string, ref: string, pos: number) => string | undefined {
  const counts = new Map<string, Map<string, number>>();
  for (const r of records) {
    const m = (r.variant ?? r.profile.replace(/^\S+\s+/, '')).match(/^([A-Z])(\d+)([A-Z])$/);
    const gene = r.gene ?? r.profile.split(/\s+/)[0]!;
    if (!m) continue;
    const k = `${gene}:${m[1]}${m[2]}`;
    let c = counts.get(k);
    if (!c) counts.set(k, (c = new Map()));
    c.set(m[0], (c.get(m[0]) ?? 0) + 1);
  }
  return (gene, ref, pos) => {
    const c = counts.get(`${gene}:${ref}${pos}`);
    if (!c) return undefined;
    return [...c.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  };
}

/** Read the evidence file of a CIViC release folder (or the file itself). */
export function readCivicRelease(pathOrDir: string): { file: string; records: CivicEvidence[] } {
  const { evidence } = civicFiles(pathOrDir);
  if (!evidence) throw new OpenDataError(pathOrDir, undefined, 'no *ClinicalEvidenceSummaries.tsv here');
  return { file: evidence, records: readCivicEvidence(evidence) };
}

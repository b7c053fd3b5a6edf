/**
 * The validation harness: rank each reference item's profile with the
 * knowledge base (curated only unless imports are asked for) and score the
 * ranking against the reference (issue 11):
 *
 * - a sensitivity item is found at k when its therapy (the best-ranked therapy
 *   holding all of its drugs: a single agent is found in a combination that
 *   contains it) ranks in the top k with a positive score. Ranks are
 *   competition ranks: 1 + the number of therapies listed above it with a
 *   strictly higher score, so equally supported therapies share a rank (five
 *   approved EGFR inhibitors for L858R are all rank 1, not ranks 1 to 5 in an
 *   arbitrary tie order);
 * - a resistance item is flagged when its therapy is not-recommended or
 *   carries a negative part;
 * - every other item is a miss with one reason: alteration not understood,
 *   tumour type not mapped (both: "unmapped", never ranked), biomarker not in
 *   the knowledge base (the therapy is not reached), ranked too low (positive
 *   but below the top 3), wrong direction.
 */
import type { Profile } from '../domain/profile.ts';
import { normaliseProfile } from '../domain/profile.ts';
import type { RankedTherapy, RankResult } from '../domain/result.ts';
import type { LoadedKnowledgeBase } from '../evidence/load.ts';
import type { GeneResolver } from '../domain/alteration.ts';
import type { ItemOutcome, Reference, Tally, ValidationItem, ValidationReport } from './types.ts';
import { holdsItemDrugs } from './drugs.ts';

export interface RankFn {
  (profile: Profile): RankResult;
}

const emptyTally = (): Tally => ({ items: 0, unmapped: 0, sensitivity: 0, hit1: 0, hit3: 0, hit10: 0, resistance: 0, resistance_flagged: 0 });

function tallyInto(t: Tally, o: ItemOutcome) {
  t.items++;
  if (o.item.unmapped) {
    t.unmapped++;
    return;
  }
  if (o.item.direction === 'sensitivity') {
    t.sensitivity++;
    if (o.hit1) t.hit1++;
    if (o.hit3) t.hit3++;
    if (o.hit10) t.hit10++;
  } else {
    t.resistance++;
    if (o.flagged) t.resistance_flagged++;
  }
}

const share = (k: number, n: number) => (n === 0 ? 0 : Math.round((k / n) * 1000) / 1000);

/**
 * Competition rank ("1224") of the therapy at list position idx: 1 + the number
 * of therapies listed above it with a strictly higher score. Therapies with the
 * same score share the best rank of their tie, whatever order the list gives
 * them; a therapy listed above with a lower score (inference never ranks above
 * direct evidence) does not push it down.
 */
export function competitionRank(therapies: ReadonlyArray<{ score: number }>, idx: number): number {
  const score = therapies[idx]!.score;
  let above = 0;
  for (let i = 0; i < idx; i++) if (therapies[i]!.score > score) above++;
  return above + 1;
}

export function evaluateItem(item: ValidationItem, rank: RankFn, genes: GeneResolver, kbDrugs: ReadonlySet<string>): ItemOutcome {
  const out: ItemOutcome = { item, hit1: false, hit3: false, hit10: false, flagged: false };
  if (item.unmapped) {
    out.miss = { reason: item.unmapped.reason, detail: item.unmapped.detail };
    return out;
  }
  let profile: Profile;
  try {
    profile = normaliseProfile({ id: 'validation', tumourType: item.tumour, alterations: item.alterations }, { genes });
  } catch (e) {
    out.miss = { reason: 'alteration not understood', detail: `the profile reader refuses it: ${(e as Error).message}` };
    return out;
  }
  // Names that are no drug of the knowledge base (a regimen is read as its drugs, an unspecified backbone next to a named drug is left out: drugs.ts).
  const unknown =
    item.unknownDrugs !== undefined
      ? [...item.unknownDrugs, ...item.drugs.filter((d): d is string => !!d && !kbDrugs.has(d))]
      : item.drugsGiven.filter((_d, i) => !item.drugs[i] || !kbDrugs.has(item.drugs[i]!));
  const result = rank(profile);
  const wanted = item.drugs.filter((d): d is string => d !== undefined);
  const classes = item.drugClasses ?? [];
  /**
   * Whether a therapy holds the item's drugs: by its own drugs, or as the regimen a study of it gave (its drugs
   * with the partner drugs, `backbone`, of one of its supporting items in this tumour type or a parent of it: CLEOPATRA's
   * pertuzumab + trastuzumab with docetaxel is the item's docetaxel + trastuzumab + pertuzumab). The item must
   * name the whole partner and one of the therapy's own drugs: docetaxel alone is no CLEOPATRA regimen, nor is
   * trastuzumab + capecitabine ToGA's. Returns the partner drugs used, [] for none.
   */
  const holding = (x: RankedTherapy): string[] | undefined => {
    if (holdsItemDrugs(x.drugs, wanted, classes)) return [];
    if (!wanted.some((d) => x.drugs.includes(d))) return undefined;
    for (const c of x.evidence) {
      if (c.contribution <= 0 || !c.backbone || c.tumourMatch !== 'same') continue;
      for (const alt of c.backbone) {
        if (alt.every((d) => wanted.includes(d)) && holdsItemDrugs([...x.drugs, ...alt], wanted, classes)) return alt;
      }
    }
    return undefined;
  };
  const holds = (x: RankedTherapy) => holding(x) !== undefined;
  // The best-ranked therapy holding every drug of the item (and one drug of each class it names): a board offered
  // dabrafenib + trametinib has been offered dabrafenib; a board offered erlotinib has been offered an EGFR TKI.
  const idx = unknown.length > 0 ? -1 : result.therapies.findIndex(holds);
  const t = idx >= 0 ? result.therapies[idx] : undefined;
  if (t) {
    out.rank = competitionRank(result.therapies, idx);
    out.score = t.score;
    out.therapy = t.id;
    const partner = holding(t)!;
    if (partner.length > 0) out.withBackbone = partner;
    out.therapyClass = t.class;
  }
  const matchedAny = result.alterations.some((a) => a.matched.length > 0);
  const absent = (): { reason: 'biomarker not in the knowledge base'; detail: string } => ({
    reason: 'biomarker not in the knowledge base',
    detail:
      unknown.length > 0
        ? `drug not in the knowledge base: ${unknown.join(', ')}`
        : !matchedAny
          ? 'no evidence for this alteration'
          : `no evidence links this alteration to ${[...wanted, ...classes.map((c) => `${c.name} (any)`)].join(' + ')}`,
  });
  if (item.direction === 'sensitivity') {
    const positive = !!t && t.score > 0 && t.class !== 'not-recommended';
    out.hit1 = positive && out.rank! <= 1;
    out.hit3 = positive && out.rank! <= 3;
    out.hit10 = positive && out.rank! <= 10;
    if (!out.hit3) {
      if (!t) out.miss = absent();
      else if (!positive) out.miss = { reason: 'wrong direction', detail: `${t.class}, score ${t.score} (negative part ${t.negative})` };
      else {
        const inferredOnly = t.evidence.every((c) => c.contribution <= 0 || c.inference);
        const above = result.therapies.slice(0, Math.min(3, out.rank! - 1)).map((x) => x.id).join('; ');
        out.miss = {
          reason: 'ranked too low',
          detail: `rank ${out.rank}${inferredOnly ? ' (supported by inference only: no direct evidence in this setting)' : ''}, below ${above}`,
        };
      }
    }
  } else {
    // Flagged when any therapy holding the drugs is not-recommended or carries a negative part.
    const holders = result.therapies.filter((x) => wanted.length + classes.length > 0 && unknown.length === 0 && holds(x));
    const flaggedBy = holders.find((x) => x.class === 'not-recommended' || x.negative < 0);
    out.flagged = !!flaggedBy;
    if (flaggedBy) {
      out.rank = competitionRank(result.therapies, result.therapies.indexOf(flaggedBy));
      out.score = flaggedBy.score;
      out.therapy = flaggedBy.id;
      const partner = holding(flaggedBy)!;
      if (partner.length > 0) out.withBackbone = partner;
      out.therapyClass = flaggedBy.class;
    }
    if (!out.flagged) out.miss = !t ? absent() : { reason: 'wrong direction', detail: `${t.class}, score ${t.score}, no negative part` };
  }
  return out;
}

export interface RunOptions {
  reference: Reference;
  source: string;
  kb: LoadedKnowledgeBase;
  imports: string[];
  rank: RankFn;
  genes: GeneResolver;
  excluded: Record<string, number>;
}

export function runValidation(items: readonly ValidationItem[], opts: RunOptions): { report: ValidationReport; outcomes: ItemOutcome[] } {
  const kbDrugs = new Set<string>();
  opts.kb.graph.forEachNode((_k, a) => {
    if (a.type === 'drug') kbDrugs.add(a.name);
  });
  const outcomes = items.map((item) => evaluateItem(item, opts.rank, opts.genes, kbDrugs));
  const counts = emptyTally();
  const byLevel: Record<string, Tally> = {};
  const byKind: Record<string, Tally> = {};
  const byLineage: Record<string, Tally> = {};
  const bump = (m: Record<string, Tally>, k: string, o: ItemOutcome) => tallyInto((m[k] ??= emptyTally()), o);
  for (const o of outcomes) {
    tallyInto(counts, o);
    bump(byLevel, o.item.level || '(none)', o);
    bump(byKind, kindLabel(o.item.kind), o);
    bump(byLineage, o.item.lineage ?? '(unmapped)', o);
  }
  const misses = outcomes.filter((o) => o.miss);
  const missReasons: Record<string, number> = {};
  for (const o of misses) missReasons[o.miss!.reason] = (missReasons[o.miss!.reason] ?? 0) + 1;
  const groups = new Map<string, { reason: string; detail: string; count: number; examples: string[] }>();
  for (const o of misses) {
    const detail = groupDetail(o);
    const key = `${o.miss!.reason}\u0000${detail}`;
    const g = groups.get(key) ?? { reason: o.miss!.reason, detail, count: 0, examples: [] };
    g.count++;
    if (g.examples.length < 5) g.examples.push(`${o.item.id} ${o.item.label} / ${o.item.drugsGiven.join(' + ')} / ${o.item.disease}`);
    groups.set(key, g);
  }
  const info = opts.kb.graph.getAttributes();
  const curatedOnly = opts.imports.length === 0;
  const report: ValidationReport = {
    reference: opts.reference,
    source: opts.source,
    knowledgeBase: { name: info.name, version: info.version, hash: info.hash, imports: opts.imports, curatedOnly },
    note: curatedOnly
      ? 'Curated knowledge base only (no imported sets): these are the headline figures.'
      : `WITH IMPORTED SETS (${opts.imports.join(', ')}): not a headline figure; the reference may have been imported into the knowledge base it is checked against.`,
    items: counts.items,
    unmapped: counts.unmapped,
    hit1: share(counts.hit1, counts.sensitivity),
    hit3: share(counts.hit3, counts.sensitivity),
    hit10: share(counts.hit10, counts.sensitivity),
    resistance_flagged: share(counts.resistance_flagged, counts.resistance),
    counts,
    byLevel: sortKeys(byLevel),
    byKind: sortKeys(byKind),
    byLineage: sortKeys(byLineage),
    missReasons,
    missGroups: [...groups.values()].sort((a, b) => b.count - a.count || (a.detail < b.detail ? -1 : 1)),
    misses: misses.map((o) => ({
      id: o.item.id,
      line: o.item.line,
      level: o.item.level,
      direction: o.item.direction,
      label: o.item.label,
      disease: o.item.disease,
      tumour: o.item.tumour,
      drugs: o.item.drugsGiven.join(' + '),
      reason: o.miss!.reason,
      detail: o.miss!.detail,
      rank: o.rank,
    })),
    excluded: opts.excluded,
  };
  return { report, outcomes };
}

function kindLabel(kind: string | undefined): string {
  switch (kind) {
    case 'cna':
      return 'CNA';
    case undefined:
      return '(not understood)';
    default:
      return kind;
  }
}

/** The group a miss belongs to: its reason and the gene, drug or class of detail that points at the fix. */
function groupDetail(o: ItemOutcome): string {
  const m = o.miss!;
  const gene = o.item.gene ?? '?';
  switch (m.reason) {
    case 'alteration not understood':
      return m.detail.replace(/"[^"]*"/g, '"…"').replace(/^not a single variant: .*/, 'not a single variant (category or gene-level)');
    case 'tumour type not mapped':
      return m.detail;
    case 'biomarker not in the knowledge base':
      return m.detail.startsWith('drug not') ? m.detail : `${gene} ${o.item.kind ?? ''}: ${m.detail.replace(/ to .*/, ' to the drug')} (${o.item.drugsGiven.join(' + ')})`.replace(/\s+/g, ' ');
    case 'ranked too low':
      return `${gene}: ${/inference only/.test(m.detail) ? 'inference only' : 'direct evidence outranked'}`;
    case 'wrong direction':
      return `${gene} ${o.item.direction}: ${m.detail.replace(/, score.*/, '')}`;
  }
}

function sortKeys<T>(m: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(m).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

/**
 * Rank the therapies for a whole profile: match every alteration against the
 * biomarkers of the evidence graph, score, classify and tier each therapy, and
 * return the DESIGN §5 rank result. Pure: a graph and a profile in, values out.
 *
 *   rankTherapies(graph, profile, { agency: 'EMA' })
 */
import type { Alteration } from '../domain/alteration.ts';
import { isStatusResult } from '../domain/driver-text.ts';
import type { Profile } from '../domain/profile.ts';
import type { DriverClass, RankedTherapy, RankResult, TherapyClass, TherapyLabel } from '../domain/result.ts';
import { classifyDriver } from './classify-driver.ts';
import { escatTier, oncoKbLevel, therapyClass } from './classify-therapy.ts';
import { resolveOptions, SCORING_VERSION, type ScoringOptions, type ScoringOptionsInput } from './defaults.ts';
import { alterationsByGene, matchBiomarkers, type BiomarkerMatch, type MatchContext } from './match-biomarkers.ts';
import { prepareGraph, type EvidenceGraphLike, type GraphIndex } from './prepare.ts';
import { matchKeyOf, scoreTherapies, type TherapyScore } from './score-therapies.ts';
import { contributionPool, keyOf, type ContributionPool } from './intern.ts';
import { shareValue } from '../domain/result-json.ts';
import { inferenceKeyOf, inferTherapies } from './infer.ts';
import { liftSuperiority } from './superiority.ts';

export class ScoringError extends Error {
  constructor(message: string) {
    super(`scoring/rank: ${message}`);
    this.name = 'ScoringError';
  }
}

/** A scored therapy as the result lists it, with its class and the tiers that follow from it. */
function rankedTherapy(t: TherapyScore, { class: cls, labelled }: { class: TherapyClass; labelled?: TherapyLabel[] }): RankedTherapy {
  const r: RankedTherapy = {
    id: t.therapy.id,
    drugs: t.therapy.drugs,
    score: t.score,
    positive: t.positive,
    negative: t.negative,
    class: cls,
    tier: escatTier(t, cls),
    oncokb: oncoKbLevel(t, cls),
    alterations: t.alterations,
    evidence: t.evidence,
  };
  // Last, and only when there is one: every other therapy keeps the shape result-json.ts writes from a template.
  // Marked as shared (frozen plain data), like the therapy: result-json.ts keeps the therapy's text only then.
  if (labelled !== undefined) r.labelled = shareValue(labelled.map((l) => shareValue(l))) as TherapyLabel[];
  return r;
}

/** The knowledge base a result names, one frozen object per knowledge base (its JSON text is then written once). */
const kbs = new WeakMap<GraphIndex, RankResult['kb']>();
function kbOf(index: GraphIndex): RankResult['kb'] {
  let kb = kbs.get(index);
  if (kb === undefined) kbs.set(index, (kb = shareValue({ name: index.info.name, version: index.info.version, hash: index.info.hash })));
  return kb;
}
const scorings = new Map<string, RankResult['scoring']>();
function scoringOf(agency: ScoringOptions['agency']): RankResult['scoring'] {
  let s = scorings.get(agency);
  if (s === undefined) scorings.set(agency, (s = shareValue({ version: SCORING_VERSION, agency })));
  return s;
}

const CLASS_ORDER = { 'on-label': 0, 'off-label': 1, investigational: 2, 'not-recommended': 3 } as const;

/** Does a drug of the therapy carry a label without a biomarker (drugs.yaml `labelled`)? */
function hasLabel(index: GraphIndex, drugs: readonly string[]): boolean {
  if (index.drugLabels.size === 0) return false;
  for (let i = 0; i < drugs.length; i++) if (index.drugLabels.has(drugs[i]!)) return true;
  return false;
}

/** The ranking group: 0 with direct positive evidence, 1 with inferred support alone, 2 when the score is not positive. */
function rankGroup(t: RankedTherapy): number {
  if (t.score <= 0) return 2;
  for (let i = 0; i < t.evidence.length; i++) if (t.evidence[i]!.contribution > 0 && !t.evidence[i]!.inference) return 0;
  return 1;
}

export function rankTherapies(graph: EvidenceGraphLike, profile: Profile, optionsInput: ScoringOptionsInput = {}): RankResult {
  if (!profile || !Array.isArray(profile.alterations)) throw new ScoringError('profile must have an alterations list');
  const options = resolveOptions(optionsInput);
  const index = prepareGraph(graph);
  const warnings: string[] = [];

  const tumourType = profile.tumourType;
  if (!tumourType) {
    warnings.push('No tumour type given: only tumour-agnostic evidence counts in full, and no therapy can be on-label for a specific tumour type.');
  } else if (!index.ancestors.has(tumourType)) {
    warnings.push(`Tumour type "${tumourType}" is not in the knowledge base hierarchy: its evidence is weighted as "other tumour type". Use an OncoTree code such as LUAD or COADREAD.`);
  }

  const drivers = new Map<string, DriverClass>();
  const driverOf = (a: Alteration): DriverClass => {
    let d = drivers.get(a.key);
    if (d === undefined) drivers.set(a.key, (d = classifyDriver(index, a)));
    return d;
  };
  const ctx: MatchContext = { genes: index.genes, driverOf, byGene: alterationsByGene(profile.alterations) };
  const matches = matchBiomarkers(index, profile.alterations, ctx);

  const matchedBy = new Map<string, string[]>();
  for (const m of matches) {
    for (const h of m.hits) {
      const list = matchedBy.get(h.alteration.key) ?? [];
      if (!list.includes(m.biomarker.id)) list.push(m.biomarker.id);
      matchedBy.set(h.alteration.key, list);
    }
  }

  // Pushed, not mapped, and read by index: arrays made by map() and by literals differ in elements kind, and a list of
  // one kind reaching code optimised for the other throws that code away (result-json.ts reads this list too).
  const alterations: RankResult['alterations'] = [];
  for (let i = 0; i < profile.alterations.length; i++) {
    const a = profile.alterations[i]!;
    const matched = matchedBy.get(a.key);
    alterations.push({
      key: a.key,
      label: a.label,
      kind: a.kind,
      gene: a.gene,
      driver: driverOf(a),
      matched: matched === undefined ? [] : matched.length > 1 ? matched.sort() : matched,
    });
  }
  for (let i = 0; i < alterations.length; i++) {
    const a = alterations[i]!;
    if (a.matched.length > 0) continue;
    const known = a.kind === 'signature' || index.genes.has(a.gene);
    warnings.push(
      known
        ? `${a.label} (${a.key}) matched no biomarker in the knowledge base${a.driver === 'unknown' && !isStatusResult(a) ? ' and is of unknown significance' : ''}.`
        : `${a.label} (${a.key}) matched nothing: gene ${a.gene} is not in the knowledge base.`,
    );
  }

  // The ranked therapies are a function of what the matches and inferences bring, the tumour type and the options:
  // a profile bringing the same (most of a cohort repeats another's drivers) gets the same frozen list, ranked once.
  const pool = contributionPool(index, options);
  const matchKeys: string[] = new Array(matches.length);
  for (let i = 0; i < matches.length; i++) matchKeys[i] = matchKeyOf(matches[i]!, driverOf(matches[i]!.anchor.alteration), tumourType);
  const key = rankingKeyOf(options, tumourType, matchKeys, profile.alterations, driverOf);
  let therapies = key === undefined ? undefined : pool.rankings.get(key);
  if (therapies === undefined) {
    const ranked = rankMatched(index, profile, options, pool, matches, matchKeys, driverOf);
    therapies = ranked.therapies;
    if (ranked.shared && key !== undefined) pool.rankings.set(key, shareValue(therapies) as RankedTherapy[]);
  }

  return {
    id: profile.id,
    tumourType: tumourType ?? null,
    kb: kbOf(index),
    scoring: scoringOf(options.agency),
    alterations,
    therapies,
    warnings,
  };
}

/** Longer keys are not kept: a profile of thousands of alterations is a one-off, and its key alone could be 100s of KB. */
export const RANKING_KEY_LIMIT = 16_384;

/**
 * The key of a profile's ranked therapies: the options class and tiers read, the tumour type, what each match brings
 * (matchKeyOf, in the order matchBiomarkers gives) and what each alteration infers from (inferenceKeyOf). Every part
 * is content, so equal keys give equal lists (fixed-arity parts joined by a separator none holds: ids, gene symbols
 * and OncoTree codes are checked at the boundary, protein changes are rebuilt from their parsed parts, so no two
 * lists of parts join to one key). Undefined when the ranking is not kept: two alterations with one key (a
 * normalised profile never has them; the inferences of the two could tie in an order the key does not hold), or a
 * key over RANKING_KEY_LIMIT.
 */
function rankingKeyOf(
  options: ScoringOptions,
  tumourType: string | undefined,
  matchKeys: readonly string[],
  alterations: readonly Alteration[],
  driverOf: (a: Alteration) => DriverClass,
): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < alterations.length; i++) {
    if (seen.has(alterations[i]!.key)) return undefined;
    seen.add(alterations[i]!.key);
  }
  let key = keyOf('r', options.agency, options.notRecommendedMinLevel, tumourType ?? '', matchKeys.length);
  for (let i = 0; i < matchKeys.length; i++) {
    key += '\u0000' + matchKeys[i]!;
    if (key.length > RANKING_KEY_LIMIT) return undefined; // stop building what will not be kept
  }
  // What distinct alterations infer together does not depend on their order (infer.ts): neither does the key.
  let inferences: string[] | undefined;
  for (let i = 0; i < alterations.length; i++) {
    const inference = inferenceKeyOf(alterations[i]!, driverOf(alterations[i]!));
    if (inference !== undefined) (inferences ??= []).push(inference);
  }
  if (inferences !== undefined) {
    if (inferences.length > 1) inferences.sort();
    for (let i = 0; i < inferences.length; i++) key += '\u0000' + inferences[i]!;
  }
  return key.length > RANKING_KEY_LIMIT ? undefined : key;
}

/** Freeze a lifted therapy's own parts (its added contributions among them; sources belong to the knowledge base). */
function freezeLifted(t: RankedTherapy): void {
  for (const c of t.evidence) {
    if (Object.isFrozen(c)) continue;
    Object.freeze(c.factors);
    if (c.superiority) Object.freeze(c.superiority);
    Object.freeze(c);
  }
  Object.freeze(t.evidence);
  Object.freeze(t);
}

/**
 * Score, classify, tier and order the therapies a profile's matches reach. `shared` when every therapy is frozen
 * (built from the pool's shared values): the list is then a function of the ranking key, and may be kept.
 */
function rankMatched(
  index: GraphIndex,
  profile: Profile,
  options: ScoringOptions,
  pool: ContributionPool,
  matches: readonly BiomarkerMatch[],
  matchKeys: readonly string[],
  driverOf: (a: Alteration) => DriverClass,
): { therapies: RankedTherapy[]; shared: boolean } {
  const tumourType = profile.tumourType;
  const inferred = inferTherapies(index, profile.alterations, driverOf, options);

  const scored = scoreTherapies(index, matches, tumourType, driverOf, options, inferred, matchKeys);
  // Class and tiers come from the evidence itself; the randomised-comparison lift that follows orders the ranking only.
  // A shared (frozen) score gives a shared ranked therapy, decided once per agency and threshold (and tumour type, below).
  // Only the class of a therapy with a drug labelled for a tumour type (drugs.yaml `labelled`) depends on the profile's
  // tumour type, and only on one of the hierarchy: the others share their answers across tumour types (a bounded key).
  const labelTumour = tumourType !== undefined && index.ancestors.has(tumourType) ? tumourType : undefined;
  const sharedAnywhere = pool.rankedTherapies(options, undefined);
  const sharedHere = labelTumour === undefined ? sharedAnywhere : pool.rankedTherapies(options, labelTumour);
  // Decided in the order of `scored`, which liftSuperiority keeps.
  const decided: RankedTherapy[] = new Array(scored.length);
  let shared = true;
  const groupOf: number[] = new Array(scored.length);
  for (let i = 0; i < scored.length; i++) {
    const t = scored[i]!;
    const byScore = hasLabel(index, t.therapy.drugs) ? sharedHere : sharedAnywhere;
    let d = byScore.get(t);
    if (d === undefined) {
      const r = rankedTherapy(t, therapyClass(index, t, options, labelTumour));
      d = { ranked: r, group: rankGroup(r) };
      if (Object.isFrozen(t)) {
        if (!Object.isFrozen(r.drugs)) r.drugs = Object.freeze([...r.drugs]) as string[];
        shareValue(r);
        byScore.set(t, Object.freeze(d));
      } else shared = false;
    }
    decided[i] = d.ranked;
    groupOf[i] = d.group;
  }
  // Only therapies holding a randomised comparison are asked (rarely): a search of the short list will do.
  const { scores, beats } = liftSuperiority(index, scored, (t) => decided[scored.indexOf(t)]!.class !== 'not-recommended', tumourType);
  if (scores.length !== scored.length) throw new Error('liftSuperiority must keep the scores in order, one for each');

  // By score, except that a therapy supported by inference alone never ranks above one with direct evidence; on equal
  // scores, a therapy that beat another in a randomised trial lists above it (and only above what it beat).
  // Each therapy's sort fields read once (the comparator runs a few hundred times a ranking).
  const order: Array<{ t: RankedTherapy; group: number; score: number; cls: number; positive: number; id: string }> = new Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    const d = decided[i]!;
    let t = d;
    let group = groupOf[i]!;
    if (d.evidence !== s.evidence) {
      // A lifted therapy is a new score object: its class and tiers stay those decided before the lift.
      t = { id: d.id, drugs: d.drugs, score: s.score, positive: s.positive, negative: s.negative, class: d.class, tier: d.tier, oncokb: d.oncokb, alterations: s.alterations, evidence: s.evidence };
      if (d.labelled !== undefined) t.labelled = d.labelled;
      group = rankGroup(t);
      // Its own: frozen with what the lift added, so that the list can be shared.
      if (shared) freezeLifted(t);
    }
    order[i] = { t, group, score: t.score, cls: CLASS_ORDER[t.class], positive: t.positive, id: t.id };
  }
  order.sort((x, y) => x.group - y.group || y.score - x.score || x.cls - y.cls || y.positive - x.positive || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const therapies: RankedTherapy[] = new Array(order.length);
  for (let i = 0; i < order.length; i++) therapies[i] = order[i]!.t;
  if (beats.size > 0) {
    const groups = new Map<RankedTherapy, number>();
    for (const o of order) groups.set(o.t, o.group);
    const group = (t: RankedTherapy) => groups.get(t)!;
    orderWinsWithinTies(therapies, beats, group);
  }
  return { therapies, shared };
}

/**
 * Within each run of therapies with the same group and score, list a winner of a randomised comparison above
 * the comparator it beat, keeping the order of everything else: a topological order of the wins, taking at each
 * step the earliest therapy (in the sorted order) none of whose placed-later winners is left. A cycle of wins
 * (contradictory data) is broken in the sorted order.
 */
function orderWinsWithinTies(
  therapies: RankedTherapy[],
  beats: ReadonlyMap<string, ReadonlySet<string>>,
  group: (t: RankedTherapy) => number,
): void {
  // Most rankings have no win between two tied therapies (the winner already scores higher): nothing to do.
  const at = new Map<string, RankedTherapy>();
  for (const t of therapies) at.set(t.id, t);
  /** Winners tied with a therapy they beat: only the runs holding one are reordered. */
  const tied = new Set<string>();
  for (const [winner, losers] of beats) {
    const w = at.get(winner);
    if (!w) continue;
    for (const loser of losers) {
      const l = at.get(loser);
      if (l && l !== w && l.score === w.score && group(l) === group(w)) tied.add(winner);
    }
  }
  if (tied.size === 0) return;
  for (let start = 0; start < therapies.length; ) {
    let end = start + 1;
    const g = group(therapies[start]!);
    while (end < therapies.length && group(therapies[end]!) === g && therapies[end]!.score === therapies[start]!.score) end++;
    let holds = false;
    for (let k = start; k < end && !holds; k++) holds = tied.has(therapies[k]!.id);
    if (holds) {
      const run = therapies.slice(start, end);
      const ids = new Set(run.map((t) => t.id));
      // In-run wins: loser -> the winners that must list above it.
      const above = new Map<string, Set<string>>();
      for (const t of run) {
        for (const loser of beats.get(t.id) ?? []) {
          if (!ids.has(loser) || loser === t.id) continue;
          const set = above.get(loser);
          if (set) set.add(t.id);
          else above.set(loser, new Set([t.id]));
        }
      }
      if (above.size > 0) {
        const placed = new Set<string>();
        const ordered: RankedTherapy[] = [];
        const left = [...run];
        while (left.length > 0) {
          let i = left.findIndex((t) => [...(above.get(t.id) ?? [])].every((w) => placed.has(w)));
          if (i < 0) i = 0;
          const [next] = left.splice(i, 1);
          placed.add(next!.id);
          ordered.push(next!);
        }
        therapies.splice(start, ordered.length, ...ordered);
      }
    }
    start = end;
  }
}

/**
 * Score therapies from matched biomarkers (DESIGN §4):
 *
 *   s(e) = sign(direction) * level(e) * variantMatch(a, e) * tumourMatch(T, e) * driver(a) * quality(e)
 *
 * with the k-th item of one (alteration, direction) group counting
 * diminishing^(k-1), so repeated weak evidence never outweighs one approval.
 * The group is keyed by the profile alteration the evidence is reached from
 * (the anchor), not by the biomarker's wording: evidence for `BRAF V600E`,
 * `BRAF V600` and `BRAF V600E or V600K` about one patient's V600E is one body
 * of evidence, and approvals in five other tumour types must not add up as if
 * they were five independent findings.
 * Positive and negative sums are kept apart. Every contribution is rounded to
 * 1e-3 before summing, so the listed contributions add up to the sums exactly.
 * Contributions come from a pool (intern.ts): equal inputs give the same frozen
 * object, so each group is ordered on plain candidates first and the final
 * contribution, with its diminishing factor, is taken from the pool.
 */
import type { Alteration } from '../domain/alteration.ts';
import type { Direction, TherapyNode } from '../domain/knowledge.ts';
import type { DriverClass, EvidenceContribution } from '../domain/result.ts';
import type { ScoringOptions } from './defaults.ts';
import type { BiomarkerMatch } from './match-biomarkers.ts';
import type { GraphIndex } from './prepare.ts';
import { tumourMatch } from './tumour-match.ts';
import type { InferredEvidence } from './infer.ts';
import { contributionPool, keyOf } from './intern.ts';
import type { EvidenceNode } from '../domain/knowledge.ts';

export const SIGN: Record<Direction, number> = { sensitivity: 1, resistance: -1, 'no-benefit': -1, adverse: 0 };

export const round3 = (x: number) => Math.round(x * 1000) / 1000 + 0;

export interface TherapyScore {
  therapy: TherapyNode;
  positive: number;
  negative: number;
  score: number;
  evidence: EvidenceContribution[];
  alterations: string[];
}

/** The distinct keys of a short list, sorted (a loop: this runs for every match of every ranking). */
function sortedUnique<T>(items: readonly T[], key: (item: T) => string): string[] {
  const out: string[] = [];
  for (const item of items) {
    const k = key(item);
    if (!out.includes(k)) out.push(k);
  }
  return out.sort();
}

/** Is the profile's tumour type one of (or under one of) the excluded types? */
function excluded(index: GraphIndex, tumourType: string | undefined, codes: readonly string[]): boolean {
  if (!tumourType) return false;
  const chain = index.ancestors.get(tumourType);
  return chain !== undefined && codes.some((c) => chain.includes(c));
}

/** Strongest first; ties broken by id so the order of evidence never changes a score (superiority.ts sorts so too). */
export const byStrength = (x: EvidenceContribution, y: EvidenceContribution) =>
  Math.abs(y.contribution) - Math.abs(x.contribution) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

/** A therapy's sums and alterations from its contributions, sorted strongest first (byStrength). */
function scoreOf(therapy: TherapyNode, evidence: EvidenceContribution[]): TherapyScore {
  let positive = 0;
  let negative = 0;
  for (const c of evidence) {
    if (c.contribution > 0) positive += c.contribution;
    else negative += c.contribution;
  }
  positive = round3(positive);
  negative = round3(negative);
  // Indexed loops: contributions and their alteration lists are frozen arrays, which for-of walks slowly.
  const alterations: string[] = [];
  for (let i = 0; i < evidence.length; i++) {
    const c = evidence[i]!;
    if (c.contribution === 0) continue;
    const keys = c.alterations;
    for (let j = 0; j < keys.length; j++) if (!alterations.includes(keys[j]!)) alterations.push(keys[j]!);
  }
  if (alterations.length > 1) alterations.sort();
  return { therapy, positive, negative, score: round3(positive + negative), evidence, alterations };
}

/**
 * What a match brings to scoring, as a key: the biomarker, how and what it matched, the anchor's driver class and the
 * tumour type. A match's candidates are a function of it (and of the pool's knowledge base and weights).
 */
export function matchKeyOf(m: BiomarkerMatch, driver: DriverClass, tumourType: string | undefined): string {
  const alterationsKey = sortedUnique(m.hits, (h) => h.alteration.key).join('\u0001');
  return keyOf('m', m.biomarker.id, m.anchor.how, m.anchor.alteration.key, alterationsKey, driver, tumourType ?? '');
}

/** `matchKeys`, when given, are matchKeyOf of each match (rank.ts computes them first). */
export function scoreTherapies(
  index: GraphIndex,
  matches: readonly BiomarkerMatch[],
  tumourType: string | undefined,
  driverOf: (a: Alteration) => DriverClass,
  options: ScoringOptions,
  inferred: readonly InferredEvidence[] = [],
  matchKeys?: readonly string[],
): TherapyScore[] {
  const w = options.weights;
  const pool = contributionPool(index, options);
  /** One (match, evidence item) pair before its place in its group is known. */
  interface Candidate {
    e: EvidenceNode;
    biomarker: string;
    alterations: string[];
    how: BiomarkerMatch['anchor']['how'];
    tm: ReturnType<typeof tumourMatch>;
    driver: DriverClass;
    sign: number;
    level: number;
    variantMatch: number;
    tumourMatch: number;
    driverFactor: number;
    /** The product of the factors before diminishing (what the group is ordered by). */
    raw: number;
    /** The contribution's pool key but for its place in the group. */
    poolKey: string;
    /** The contributions this candidate gave at each place in its group so far (a memo of the pool's answer). */
    placed: EvidenceContribution[];
  }
  /**
   * Each therapy's candidates by group (most therapies of a ranking have one group: parallel lists searched in a
   * loop, cheaper than a map per therapy), and its inferred contributions.
   */
  interface Reached {
    therapy: TherapyNode;
    groupKeys: string[];
    groups: Candidate[][];
    inferred: EvidenceContribution[] | undefined;
  }
  const byTherapy = new Map<string, Reached>();
  for (let mi = 0; mi < matches.length; mi++) {
    const m = matches[mi]!;
    const anchor = m.anchor;
    const driver = driverOf(anchor.alteration);
    // A match's candidates depend only on the biomarker, how and what it matched, the driver class and the tumour
    // type (and the pool's knowledge base and weights): built once per pool, as a cohort repeats the same matches.
    const matchKey = matchKeys?.[mi] ?? matchKeyOf(m, driver, tumourType);
    const candidates = pool.derived(matchKey, () => {
      const alterationKeys = sortedUnique(m.hits, (h) => h.alteration.key);
      const alterationsKey = alterationKeys.join('\u0001');
      const out: Array<{ therapy: TherapyNode; groupKey: string; c: Candidate }> = [];
      for (const { evidence: e, therapy } of index.evidenceByBiomarker.get(m.biomarker.id) ?? []) {
        if (e.excludeTumours.length > 0 && excluded(index, tumourType, e.excludeTumours)) continue;
        const tm = tumourMatch(index, tumourType, e.tumour);
        // A biomarker that selects patients within its tumour type (tumourSpecific) is no reason elsewhere.
        if (tm === 'other' && e.tumourSpecific === true) continue;
        const tumourFactor = e.direction === 'no-benefit' ? w.noBenefitTumourMatch[tm] : w.tumourMatch[tm];
        if (tumourFactor === 0) continue; // does not apply here (a no-benefit trial in an unrelated tumour type)
        const sign = SIGN[e.direction];
        const level = w.level[e.level];
        const variantMatch = w.variantMatch[anchor.how];
        const driverFactor = w.driver[driver];
        const c: Candidate = Object.freeze({
          e, biomarker: m.biomarker.id, alterations: alterationKeys, how: anchor.how, tm, driver,
          sign, level, variantMatch, tumourMatch: tumourFactor, driverFactor,
          // The same product, in the same order, as the factors listed in the contribution (pathway: 1).
          raw: sign * level * variantMatch * tumourFactor * driverFactor * e.quality * 1,
          poolKey: keyOf('d', e.id, m.biomarker.id, alterationsKey, anchor.how, tm, driver),
          placed: [],
        });
        out.push(Object.freeze({ therapy, groupKey: `${anchor.alteration.key}\u0000${sign}`, c }));
      }
      return Object.freeze(out);
    });
    for (let i = 0; i < candidates.length; i++) {
      const { therapy, groupKey, c } = candidates[i]!;
      const t = byTherapy.get(therapy.id);
      if (t === undefined) {
        byTherapy.set(therapy.id, { therapy, groupKeys: [groupKey], groups: [[c]], inferred: undefined });
        continue;
      }
      const at = t.groupKeys.indexOf(groupKey);
      if (at >= 0) t.groups[at]!.push(c);
      else {
        t.groupKeys.push(groupKey);
        t.groups.push([c]);
      }
    }
  }

  // Inferred items join the therapy's own evidence, each in a group of its own: their value is final (diminishing 1).
  // An alteration with direct resistance evidence against a drug infers no sensitivity to that drug's class (MEK1
  // C121S to MEK inhibitors, ALK G1202R to the second-generation ALK inhibitors): extrapolating from the target is
  // the weakest reasoning there is, and the evidence about that very alteration says otherwise.
  const resisted = inferred.length > 0 ? resistedClasses(index, byTherapy.values()) : undefined;
  for (const { therapy, contribution } of inferred) {
    if (resisted !== undefined && resisted.size > 0) {
      const cls = index.drugs.get(therapy.drugs[0]!)?.class;
      if (cls !== undefined && resisted.get(contribution.alterations[0]!)?.has(cls)) continue;
    }
    const t = byTherapy.get(therapy.id);
    if (t === undefined) byTherapy.set(therapy.id, { therapy, groupKeys: [], groups: [], inferred: [contribution] });
    else if (t.inferred === undefined) t.inferred = [contribution];
    else t.inferred.push(contribution);
  }

  const out: TherapyScore[] = [];
  for (const { therapy, groups, inferred: own } of byTherapy.values()) {
    const evidence: EvidenceContribution[] = [];
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      // Strongest first; ties broken by id so the order of evidence never changes a score.
      if (group.length > 1) group.sort((x, y) => Math.abs(y.raw) - Math.abs(x.raw) || (x.e.id < y.e.id ? -1 : 1));
      for (let k = 0; k < group.length; k++) {
        const c = group[k]!;
        const placed = c.placed[k];
        if (placed !== undefined) {
          evidence.push(placed);
          continue;
        }
        const contribution = pool.get(`${c.poolKey}\u0000${k}`, () => {
          const diminishing = w.diminishing ** k;
          const built: EvidenceContribution = {
            id: c.e.id,
            level: c.e.level,
            direction: c.e.direction,
            biomarker: c.biomarker,
            alterations: c.alterations,
            tumour: c.e.tumour,
            variantMatch: c.how,
            tumourMatch: c.tm,
            driver: c.driver,
            factors: {
              sign: c.sign,
              level: c.level,
              variantMatch: c.variantMatch,
              tumourMatch: c.tumourMatch,
              driver: c.driverFactor,
              quality: c.e.quality,
              diminishing,
            },
            contribution: round3(c.raw * diminishing),
            statement: c.e.statement,
            sources: c.e.sources,
            origin: c.e.origin,
          };
          if (c.e.unverified) built.unverified = true;
          if (c.e.backbone) built.backbone = c.e.backbone;
          return built;
        });
        c.placed[k] = contribution;
        evidence.push(contribution);
      }
    }
    if (own !== undefined) for (const c of own) evidence.push(c);
    out.push(sharedScore(pool.therapyScores, therapy, evidence));
  }
  return out;
}

/**
 * The drug classes each alteration has direct resistance evidence against, from the candidates a ranking gathered:
 * evidence about that alteration itself (met by it alone, by its variant or position, not by its gene or with another
 * alteration), against a single drug (resistance to a combination says nothing of either drug alone).
 */
function resistedClasses(
  index: GraphIndex,
  reached: Iterable<{ therapy: TherapyNode; groups: ReadonlyArray<ReadonlyArray<{ e: EvidenceNode; alterations: readonly string[]; how: string }>> }>,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const { therapy, groups } of reached) {
    if (therapy.drugs.length !== 1) continue;
    const cls = index.drugs.get(therapy.drugs[0]!)?.class;
    if (cls === undefined) continue;
    for (const group of groups) {
      for (const c of group) {
        if (c.e.direction !== 'resistance' || c.alterations.length !== 1 || (c.how !== 'exact' && c.how !== 'position')) continue;
        const key = c.alterations[0]!;
        const set = out.get(key);
        if (set === undefined) out.set(key, new Set([cls]));
        else set.add(cls);
      }
    }
  }
  return out;
}

/** At most this many scores are kept per strongest contribution (the therapies resting on it, alone or with others). */
const SHARED_LIMIT = 8;

/**
 * A therapy's score, shared when every contribution is (frozen, from the pool): it is then a function of the therapy
 * and the contributions in their sorted order, so a ranking that reaches the same ones gets the same frozen score
 * (most of a cohort's therapies rest on one contribution). Kept by the strongest contribution.
 */
function sharedScore(kept: WeakMap<EvidenceContribution, TherapyScore[]>, therapy: TherapyNode, evidence: EvidenceContribution[]): TherapyScore {
  if (evidence.length > 1) evidence.sort(byStrength);
  for (let i = 0; i < evidence.length; i++) if (!Object.isFrozen(evidence[i])) return scoreOf(therapy, evidence);
  const first = evidence[0]!;
  const list = kept.get(first);
  if (list !== undefined) {
    for (const known of list) {
      if (known.therapy !== therapy || known.evidence.length !== evidence.length) continue;
      let same = true;
      for (let i = 1; i < evidence.length && same; i++) same = known.evidence[i] === evidence[i];
      if (same) return known;
    }
  }
  const t = scoreOf(therapy, evidence);
  Object.freeze(t.evidence);
  Object.freeze(t.alterations);
  Object.freeze(t);
  if (list === undefined) kept.set(first, [t]);
  else {
    // The oldest goes first (a therapy object rebuilt after the pool dropped it leaves its old score behind).
    if (list.length >= SHARED_LIMIT) list.shift();
    list.push(t);
  }
  return t;
}

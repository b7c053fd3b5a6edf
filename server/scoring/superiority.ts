/**
 * Randomised comparisons (`superiorTo` on an evidence item, SUPERIOR_TO edges
 * in the graph): a therapy whose randomised trial beat a control arm ranks at
 * least as high as that control arm for the same profile.
 *
 * When an item with `superiorTo` applies to the profile (a positive, direct
 * contribution in the same or a related tumour type, reached from an
 * alteration that is not a VUS), the therapy's positive sum becomes
 *
 *   max(own positive sum, comparator's positive sum for this profile)
 *
 * and the difference is one explained contribution. Repeated to a fixed point,
 * so chains settle (A beat B, B beat C: A >= B >= C). The lift only ever raises
 * a positive sum, and the comparator's negative part is not carried: resistance
 * to the winner still counts in full. A max of sums that are monotone in the
 * evidence is monotone too, so adding sensitivity evidence never lowers a
 * score nor resistance evidence raises one.
 *
 * Why: a randomised head-to-head result outranks summed single-arm evidence.
 * Vemurafenib alone holds more items (BRIM-2, basket trials) than vemurafenib +
 * cobimetinib, which beat it in coBRIM; summing them ranked the loser first.
 *
 * It orders the ranking only: class, tier and OncoKB level are decided before
 * the lift and without it (rank.ts), and a not-recommended therapy is not lifted.
 */
import { SUPERIORITY_LEVELS } from '../domain/knowledge.ts';
import type { EvidenceContribution } from '../domain/result.ts';
import type { GraphIndex } from './prepare.ts';
import { round3, type TherapyScore } from './score-therapies.ts';

interface Claim {
  /** The winner's position in the scores. */
  at: number;
  winner: string;
  comparator: string;
  /** The winner's contribution from the randomised-trial item. */
  via: EvidenceContribution;
}

export interface SuperiorityResult {
  /** The scores, with lifted therapies replaced by new objects (the others are the same objects). */
  scores: TherapyScore[];
  /**
   * Therapy id -> length of its longest chain of applicable wins (A beat B, B beat C: A 2, B 1, C 0).
   * The ranking's first tie-break after the score, so that a winner lifted to its comparator's score lists above it.
   */
  depth: ReadonlyMap<string, number>;
}

const NO_DEPTH: ReadonlyMap<string, number> = new Map();
const STRONG: ReadonlySet<string> = SUPERIORITY_LEVELS;

/** Does a contribution carry a randomised comparison for this profile? Direct, positive, same or related tumour type, not from a VUS. */
export function carriesComparison(c: EvidenceContribution): boolean {
  return (
    c.contribution > 0 &&
    c.direction === 'sensitivity' &&
    c.inference === undefined &&
    c.superiority === undefined &&
    c.driver !== 'unknown' &&
    (c.tumourMatch === 'same' || c.tumourMatch === 'related')
  );
}

const byAbsContribution = (x: EvidenceContribution, y: EvidenceContribution) =>
  Math.abs(y.contribution) - Math.abs(x.contribution) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

/**
 * Lift the therapies that beat a comparator in a randomised trial.
 * `eligible` says which therapies may be lifted (rank.ts: all but the not-recommended ones);
 * every therapy, eligible or not, lends its positive sum as a comparator.
 */
export function liftSuperiority(index: GraphIndex, scores: readonly TherapyScore[], eligible: (t: TherapyScore) => boolean): SuperiorityResult {
  if (index.superiorTo.size === 0) return { scores: scores as TherapyScore[], depth: NO_DEPTH };
  const claims: Claim[] = [];
  /** Therapies in a claim (winners and comparators) -> their own positive sums. */
  const own = new Map<string, number>();
  for (let at = 0; at < scores.length; at++) {
    const t = scores[at]!;
    if (!index.superiorWinners.has(t.therapy.id)) continue; // most therapies hold no randomised comparison
    let ok: boolean | undefined;
    for (const c of t.evidence) {
      if (!STRONG.has(c.level) || !carriesComparison(c)) continue;
      const arms = index.superiorTo.get(c.id);
      if (arms === undefined) continue;
      if ((ok ??= eligible(t)) === false) break;
      for (const arm of arms) {
        if (arm.id === t.therapy.id) continue;
        claims.push({ at, winner: t.therapy.id, comparator: arm.id, via: c });
        own.set(t.therapy.id, 0).set(arm.id, 0);
      }
    }
  }
  if (claims.length === 0) return { scores: scores as TherapyScore[], depth: NO_DEPTH };
  for (const t of scores) if (own.has(t.therapy.id)) own.set(t.therapy.id, t.positive);

  // The fixed point: each round lifts every winner to its comparators' current sums. Sums only grow, and only to
  // values some therapy already has, so this settles after at most one round per link of the longest chain.
  // (A comparator the profile does not reach at all lends 0.)
  const positive = new Map(own);
  for (let changed = true, round = 0; changed && round <= claims.length; round++) {
    changed = false;
    for (const c of claims) {
      const to = positive.get(c.comparator)!;
      if (to > positive.get(c.winner)!) {
        positive.set(c.winner, to);
        changed = true;
      }
    }
  }

  // The explained contribution: the comparator the final sum came from (ties: the smallest therapy id, then the
  // strongest item naming it, then its id, so that neither the order of evidence nor of alterations matters).
  const chosen = new Map<string, Claim>();
  for (const c of claims) {
    const final = positive.get(c.winner)!;
    if (positive.get(c.comparator) !== final) continue;
    const prev = chosen.get(c.winner);
    if (
      !prev ||
      c.comparator < prev.comparator ||
      (c.comparator === prev.comparator && (c.via.contribution > prev.via.contribution || (c.via.contribution === prev.via.contribution && c.via.id < prev.via.id)))
    ) {
      chosen.set(c.winner, c);
    }
  }

  const out = scores.slice();
  for (const claim of chosen.values()) {
    const t = scores[claim.at]!;
    const ownPositive = t.positive;
    const comparatorPositive = positive.get(claim.comparator)!;
    const lift = round3(comparatorPositive - ownPositive);
    if (lift <= 0) continue;
    const chained = comparatorPositive > own.get(claim.comparator)! ? ' (its own sum raised by a randomised comparison in turn)' : '';
    const v = claim.via;
    const contribution: EvidenceContribution = {
      id: `superior-to:${claim.comparator}`,
      level: v.level,
      direction: 'sensitivity',
      biomarker: v.biomarker,
      alterations: v.alterations,
      tumour: v.tumour,
      variantMatch: v.variantMatch,
      tumourMatch: v.tumourMatch,
      driver: v.driver,
      factors: { sign: 1, level: 1, variantMatch: 1, tumourMatch: 1, driver: 1, quality: 1, diminishing: 1 },
      contribution: lift,
      superiority: { evidence: v.id, comparator: claim.comparator, ownPositive, comparatorPositive },
      statement:
        `Beat ${claim.comparator} in the randomised trial of ${v.id}: ranked at least as high as ${claim.comparator}, ` +
        `its positive sum raised from ${ownPositive} to ${claim.comparator}'s ${comparatorPositive}${chained}.`,
      sources: v.sources,
      origin: v.origin,
    };
    if (v.unverified) contribution.unverified = true;
    const positiveSum = round3(ownPositive + lift);
    out[claim.at] = { ...t, positive: positiveSum, score: round3(positiveSum + t.negative), evidence: [...t.evidence, contribution].sort(byAbsContribution) };
  }

  return { scores: out, depth: chainDepth(claims) };
}

/**
 * Longest chain of wins from each therapy, counted between groups of therapies that beat each other (a cycle,
 * from contradictory data, is one step: its members share a depth). Defined by the graph alone, so the order
 * of claims never matters. The graphs are tiny (a handful of applicable trials per profile).
 */
function chainDepth(claims: readonly Claim[]): Map<string, number> {
  const beats = new Map<string, Set<string>>();
  for (const c of claims) {
    const set = beats.get(c.winner);
    if (set) set.add(c.comparator);
    else beats.set(c.winner, new Set([c.comparator]));
  }
  const reach = new Map<string, Set<string>>();
  const reachOf = (from: string): Set<string> => {
    let seen = reach.get(from);
    if (seen) return seen;
    seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) for (const next of beats.get(stack.pop()!) ?? []) if (!seen.has(next)) seen.add(next), stack.push(next);
    reach.set(from, seen);
    return seen;
  };
  const sameGroup = (x: string, y: string) => x === y || (reachOf(x).has(y) && reachOf(y).has(x));
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    let d = 0;
    // Everything reachable outside the therapy's own group is strictly downstream of it: recursion ends.
    for (const other of reachOf(id)) if (!sameGroup(id, other)) d = Math.max(d, 1 + depthOf(other));
    depth.set(id, d);
    return d;
  };
  for (const id of beats.keys()) depthOf(id);
  return depth;
}

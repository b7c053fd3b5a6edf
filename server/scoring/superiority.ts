/**
 * Randomised comparisons (`superiorTo` on an evidence item, SUPERIOR_TO edges
 * in the graph): a therapy whose randomised trial beat a control arm ranks at
 * least as high as that control arm for the same profile.
 *
 * When an item with `superiorTo` applies to the profile (a positive, direct
 * contribution in the trial's tumour type or one of its subtypes, reached from
 * an alteration that is not a VUS), the therapy's support on the trial's
 * alterations (A) is raised to the comparator's support on A:
 *
 *   lift = max(0, comparator's positive sum on A - winner's positive sum on A)
 *
 * and the lift is one explained contribution. Only evidence reached from A
 * counts on both sides: a comparator's evidence for another alteration of the
 * profile (crizotinib's MET amplification item, next to the ALK fusion the ALK
 * trials were about) is not carried to the winner. Repeated to a fixed point,
 * so chains settle (A beat B, B beat C). The lift only ever raises a positive
 * sum, and the comparator's negative part is not carried: resistance to the
 * winner still counts in full. Whether an item applies is decided from its
 * factors before diminishing, so more evidence in its group never switches a
 * comparison off; the lift is a max of sums that are monotone in the evidence,
 * so adding sensitivity evidence never lowers a score nor resistance evidence
 * raises one.
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
import { byStrength, round3, type TherapyScore } from './score-therapies.ts';

interface Claim {
  winner: string;
  comparator: string;
  /** The winner's contribution from the randomised-trial item. */
  via: EvidenceContribution;
  /** The profile alterations the trial item is reached from (A). */
  on: ReadonlySet<string>;
  /** A as a key: claims about the same alterations share their lift. */
  key: string;
}

export interface SuperiorityResult {
  /**
   * The scores in the same order and number as given (rank.ts reads its decisions by position), lifted therapies
   * replaced by new objects, the others the same objects.
   */
  scores: TherapyScore[];
  /**
   * Winner -> the comparators it beat in a comparison that applies to this profile. On equal scores a winner
   * lists above what it beat (rank.ts), and only above that: other ties keep their order.
   */
  beats: ReadonlyMap<string, ReadonlySet<string>>;
}

const NONE: ReadonlyMap<string, ReadonlySet<string>> = new Map();

/**
 * Does a contribution carry a randomised comparison for this profile? Direct, positive before diminishing, not
 * from a VUS, and in the trial's tumour type (`same`: the profile's type is it or a subtype) or a subtype of the
 * profile's type (`related` only in that direction: a sibling tumour in the same organ does not inherit the trial).
 */
export function carriesComparison(index: GraphIndex, profileTumour: string | undefined, c: EvidenceContribution): boolean {
  const f = c.factors;
  if (
    c.direction !== 'sensitivity' ||
    c.inference !== undefined ||
    c.superiority !== undefined ||
    c.driver === 'unknown' ||
    !(f.sign > 0 && f.level * f.variantMatch * f.tumourMatch * f.driver * f.quality * (f.pathway ?? 1) > 0)
  ) {
    return false;
  }
  if (c.tumourMatch === 'same') return true;
  return c.tumourMatch === 'related' && profileTumour !== undefined && (index.ancestors.get(c.tumour)?.includes(profileTumour) ?? false);
}

const touches = (c: EvidenceContribution, on: ReadonlySet<string>) => c.alterations.some((a) => on.has(a));

/**
 * Lift the therapies that beat a comparator in a randomised trial.
 * `eligible` says which therapies may be lifted (rank.ts: all but the not-recommended ones);
 * every therapy, eligible or not, lends its support as a comparator.
 */
export function liftSuperiority(
  index: GraphIndex,
  scores: readonly TherapyScore[],
  eligible: (t: TherapyScore) => boolean,
  profileTumour?: string,
): SuperiorityResult {
  if (index.superiorTo.size === 0) return { scores: scores as TherapyScore[], beats: NONE };
  const claims: Claim[] = [];
  for (const t of scores) {
    if (!index.superiorWinners.has(t.therapy.id)) continue; // most therapies hold no randomised comparison
    let ok: boolean | undefined;
    for (const c of t.evidence) {
      const arms = index.superiorTo.get(c.id);
      if (arms === undefined || !carriesComparison(index, profileTumour, c)) continue;
      if ((ok ??= eligible(t)) === false) break;
      const on = new Set(c.alterations);
      const key = [...on].sort().join('\u0000');
      for (const arm of arms) if (arm.id !== t.therapy.id) claims.push({ winner: t.therapy.id, comparator: arm.id, via: c, on, key });
    }
  }
  if (claims.length === 0) return { scores: scores as TherapyScore[], beats: NONE };

  const byId = new Map<string, TherapyScore>();
  for (const t of scores) byId.set(t.therapy.id, t);
  /** A therapy's own positive support on A (its contributions reached from any alteration of A), computed once. */
  const ownMemo = new Map<string, number>();
  const ownOn = (id: string, on: ReadonlySet<string>, key: string) => {
    const k = `${id}\u0000${key}`;
    let sum = ownMemo.get(k);
    if (sum === undefined) {
      sum = 0;
      for (const c of byId.get(id)?.evidence ?? []) if (c.contribution > 0 && touches(c, on)) sum += c.contribution;
      ownMemo.set(k, sum);
    }
    return sum;
  };
  // therapy -> claim key -> lift so far, and the alterations of each key.
  const lifts = new Map<string, Map<string, number>>();
  const keyOn = new Map<string, ReadonlySet<string>>();
  for (const c of claims) keyOn.set(c.key, c.on);
  const liftOn = (id: string, on: ReadonlySet<string>, key: string) => {
    const mine = lifts.get(id);
    if (mine === undefined) return 0;
    let sum = 0;
    for (const [k, lift] of mine) {
      if (k === key) sum += lift;
      else for (const a of keyOn.get(k)!) if (on.has(a)) { sum += lift; break; }
    }
    return sum;
  };
  const supportOn = (id: string, on: ReadonlySet<string>, key: string) => ownOn(id, on, key) + liftOn(id, on, key);

  // The fixed point: each round raises every winner's support on A to its comparators' current support on A.
  // Support only grows, and only to values some therapy already has, so this settles after one round per link.
  for (let changed = true, round = 0; changed && round <= claims.length; round++) {
    changed = false;
    for (const c of claims) {
      const gap = round3(supportOn(c.comparator, c.on, c.key) - supportOn(c.winner, c.on, c.key));
      if (gap > 0) {
        let m = lifts.get(c.winner);
        if (!m) lifts.set(c.winner, (m = new Map()));
        m.set(c.key, round3((m.get(c.key) ?? 0) + gap));
        changed = true;
      }
    }
  }

  const beats = new Map<string, Set<string>>();
  for (const c of claims) {
    const set = beats.get(c.winner);
    if (set) set.add(c.comparator);
    else beats.set(c.winner, new Set([c.comparator]));
  }
  if (lifts.size === 0) return { scores: scores as TherapyScore[], beats };

  const lifted = (t: TherapyScore): TherapyScore => {
    const mine = lifts.get(t.therapy.id);
    if (!mine) return t;
    const added: EvidenceContribution[] = [];
    for (const [key, lift] of mine) {
      if (lift <= 0) continue;
      // Told as the comparator the final support came from (ties: the smallest therapy id, then the strongest item
      // naming it, then its id, so that neither the order of evidence nor of alterations matters).
      const on = keyOn.get(key)!;
      const ownPositive = round3(ownOn(t.therapy.id, on, key));
      const target = round3(ownPositive + lift);
      let claim: Claim | undefined;
      let best = -Infinity;
      for (const c of claims) {
        if (c.winner !== t.therapy.id || c.key !== key) continue;
        const support = round3(supportOn(c.comparator, on, key));
        if (
          !claim ||
          support > best ||
          (support === best &&
            (c.comparator < claim.comparator ||
              (c.comparator === claim.comparator && (c.via.contribution > claim.via.contribution || (c.via.contribution === claim.via.contribution && c.via.id < claim.via.id)))))
        ) {
          claim = c;
          best = support;
        }
      }
      if (!claim) continue; // cannot happen: every lift comes from a claim with this key
      const chained = target > round3(ownOn(claim.comparator, on, key)) ? ' (its own support raised by a randomised comparison in turn)' : '';
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
        superiority: { evidence: v.id, comparator: claim.comparator, ownPositive, comparatorPositive: target },
        statement:
          `Beat ${claim.comparator} in the randomised trial of ${v.id}: ranked at least as high as ${claim.comparator} on ` +
          `${v.alterations.join(', ')}, its support there raised from ${ownPositive} to ${claim.comparator}'s ${target}${chained}.`,
        sources: v.sources,
        origin: v.origin,
      };
      if (v.unverified) contribution.unverified = true;
      added.push(contribution);
    }
    if (added.length === 0) return t;
    let positive = t.positive;
    for (const c of added) positive += c.contribution;
    positive = round3(positive);
    return { ...t, positive, score: round3(positive + t.negative), evidence: [...t.evidence, ...added].sort(byStrength) };
  };
  // Pushed, not mapped: the list then has the same elements kind as the scores it may stand in for (rank.ts reads
  // both at one site; an array made by map() would have optimised ranking code thrown away the first time one came).
  const out: TherapyScore[] = [];
  for (let i = 0; i < scores.length; i++) out.push(lifted(scores[i]!));
  return { scores: out, beats };
}

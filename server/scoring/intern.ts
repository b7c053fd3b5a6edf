/**
 * Contributions as shared values. A contribution is a pure function of its
 * inputs (the knowledge base, the weights, the evidence item, the biomarker,
 * the alterations that met it, how they matched, the tumour match, the driver
 * class and its place in its group), so equal inputs give the same frozen
 * object, ranking after ranking. Nothing is computed differently: the pool
 * only hands back what the same inputs built before.
 *
 * What it buys: a cohort repeats the same few thousand contributions hundreds
 * of thousands of times, and a frozen contribution's JSON text is computed
 * once (server/domain/result-json.ts), where JSON.stringify of the 25 fields of
 * each one was half of a batch worker's time. Frozen also means that no
 * consumer can change a contribution another result shares: it throws.
 *
 * The pool also keeps values derived from contributions alone (what one
 * alteration infers, the candidates of one biomarker match: `derived`), which a
 * cohort repeats as often.
 *
 * One pool per (graph index, weights, inference options): a new knowledge base
 * or other weights get a fresh pool. A pool keeps at most about 2 x POOL_LIMIT
 * contributions and as many derived values (GenerationalCache: the recurring
 * ones stay), and at most about 2 x RANKINGS_LIMIT whole rankings (keys of at
 * most 16 KB, rank.ts), which bounds memory on an unbounded cohort. What it
 * keeps beside them (shared therapy scores, and each score's ranked therapy
 * and ranking group) is held weakly by those contributions and scores; a kept
 * ranking holds its therapies and their contributions, so a contribution the
 * pool has dropped lives on while a ranking that uses it is kept.
 */
import type { EvidenceContribution, RankedTherapy } from '../domain/result.ts';
import type { ScoringOptions } from './defaults.ts';
import type { GraphIndex } from './prepare.ts';
import type { TherapyScore } from './score-therapies.ts';

export const POOL_LIMIT = 50_000;
export const RANKINGS_LIMIT = 10_000;

/**
 * A map of at most about 2 x `limit` entries that keeps what is used: two generations, new entries go to the young
 * one, a hit in the old one moves the entry back; when the young one is full it becomes the old one and the old one
 * is dropped. A cohort's few thousand recurring drivers stay; the long tail of one-off passengers goes.
 */
export class GenerationalCache<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) this.set(key, o);
    return o;
  }

  set(key: string, value: V): void {
    if (this.young.size >= this.limit) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  /** Drop every entry (a benchmark measuring what the cache saves, say). */
  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }

  /** Entries held (one moved back from the old generation counts twice until that generation is dropped). */
  get size(): number {
    return this.young.size + this.old.size;
  }
}

/** A shared score's ranked therapy and its ranking group (rank.ts), decided together once. */
export interface DecidedTherapy {
  readonly ranked: RankedTherapy;
  readonly group: number;
}

export class ContributionPool {
  private readonly values = new GenerationalCache<EvidenceContribution>(POOL_LIMIT);
  private readonly derivedValues = new GenerationalCache<unknown>(POOL_LIMIT);
  /**
   * Shared therapy scores by their strongest contribution (score-therapies.ts): a score is a function of its
   * therapy and contributions, so rankings reaching the same ones share one frozen score.
   */
  readonly therapyScores = new WeakMap<EvidenceContribution, TherapyScore[]>();
  private readonly ranked = new Map<string, WeakMap<TherapyScore, DecidedTherapy>>();
  /**
   * Whole rankings: a profile's ranked therapies (frozen) by all they are a function of (rank.ts `rankingKeyOf`).
   * A cohort's profiles repeat each other's drivers (20,000 panel samples bring about 5,600 distinct sets), so most
   * are ranked by a lookup. At most about 2 x RANKINGS_LIMIT lists.
   */
  readonly rankings = new GenerationalCache<RankedTherapy[]>(RANKINGS_LIMIT);

  /**
   * The ranked therapy (class and tiers decided) of a shared score, and its ranking group, for one agency,
   * not-recommended threshold and tumour type, all that class and tiers read beyond the pool's own (the tumour type
   * for drugs labelled for it): a function of the score, so shared and frozen.
   */
  rankedTherapies(options: Pick<ScoringOptions, 'agency' | 'notRecommendedMinLevel'>, tumourType: string | undefined): WeakMap<TherapyScore, DecidedTherapy> {
    const key = `${options.agency}\u0000${options.notRecommendedMinLevel}\u0000${tumourType ?? ''}`;
    let m = this.ranked.get(key);
    if (m === undefined) this.ranked.set(key, (m = new WeakMap()));
    return m;
  }

  /** The contribution built for `key`, building (and freezing) it on first use. */
  get(key: string, build: () => EvidenceContribution): EvidenceContribution {
    let c = this.values.get(key);
    if (c === undefined) {
      c = freezeContribution(build());
      this.values.set(key, c);
    }
    return c;
  }

  get size(): number {
    return this.values.size;
  }

  /**
   * A value built only from this pool's inputs and contributions (what one alteration infers, say), built once
   * per key; the same bound applies. The caller keeps `T` the same for one key prefix.
   */
  derived<T>(key: string, build: () => T): T {
    let v = this.derivedValues.get(key) as T | undefined;
    if (v === undefined) {
      v = build();
      this.derivedValues.set(key, v);
    }
    return v;
  }
}

/** Freeze what the contribution owns (not its sources, which belong to the knowledge base). */
export function freezeContribution(c: EvidenceContribution): EvidenceContribution {
  Object.freeze(c.factors);
  Object.freeze(c.alterations);
  if (c.inference) {
    Object.freeze(c.inference.genes);
    Object.freeze(c.inference);
  }
  return Object.freeze(c);
}

const pools = new WeakMap<GraphIndex, WeakMap<ScoringOptions['weights'], WeakMap<ScoringOptions['inference'], ContributionPool>>>();

export function contributionPool(index: GraphIndex, options: ScoringOptions): ContributionPool {
  let byWeights = pools.get(index);
  if (!byWeights) pools.set(index, (byWeights = new WeakMap()));
  let byInference = byWeights.get(options.weights);
  if (!byInference) byWeights.set(options.weights, (byInference = new WeakMap()));
  let pool = byInference.get(options.inference);
  if (!pool) byInference.set(options.inference, (pool = new ContributionPool()));
  return pool;
}

/** Joins key parts with a separator no id, key or label holds. */
export const keyOf = (...parts: ReadonlyArray<string | number>) => parts.join('\u0000');

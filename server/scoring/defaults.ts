/**
 * Every weight of the default scoring model (DESIGN §4; version 2: version 1 tiered a gene-level match III-B), in one
 * object. Options passed to `rankTherapies` are merged over it once.
 */
import type { Agency, Level } from '../domain/knowledge.ts';
import type { DriverClass, TumourMatch, VariantMatch } from '../domain/result.ts';

export const SCORING_VERSION = '2';

export interface ScoringWeights {
  level: Record<Level, number>;
  variantMatch: Record<VariantMatch, number>;
  tumourMatch: Record<TumourMatch, number>;
  /**
   * Tumour match for no-benefit evidence: a trial that showed no benefit in one tumour type says little
   * about another (unlike a resistance mechanism, which travels with the molecule), so by default it
   * does not count in unrelated tumour types.
   */
  noBenefitTumourMatch: Record<TumourMatch, number>;
  driver: Record<DriverClass, number>;
  /** Factor of the k-th item (k >= 2) of one (biomarker, direction) group: diminishing^(k-1). */
  diminishing: number;
}

export interface InferenceOptions {
  /** Drugs that target an activated oncogene, with no direct evidence for this profile. */
  target: boolean;
  /** Drugs that target a gene downstream of an activated one (shortest signalling path). */
  pathway: boolean;
  /** Factor per signalling hop: decay^hops. */
  pathwayDecay: number;
  /** Paths longer than this are not followed. */
  maxHops: number;
}

export interface ScoringOptions {
  /** The agency whose approvals make a therapy on-label (off-label rules differ by country). */
  agency: Agency;
  weights: ScoringWeights;
  inference: InferenceOptions;
  /** A therapy with a net score below zero is not-recommended when a negative item is at least this level. */
  notRecommendedMinLevel: Level;
}

export const DEFAULTS: ScoringOptions = {
  agency: 'FDA',
  weights: {
    level: {
      approved: 100,
      guideline: 95,
      phase3: 90,
      phase2: 80,
      phase1: 40,
      retrospective: 25,
      'case-report': 20,
      preclinical: 10,
      inferential: 3,
    },
    variantMatch: { exact: 1.0, position: 0.9, category: 0.8, gene: 0.6 },
    // `other` is 0.5 so that evidence from unrelated tumour types, however much of it (0.5 × Σ 0.5^k < 1),
    // never outweighs one approval in this tumour type.
    tumourMatch: { same: 1.0, 'pan-cancer': 0.95, related: 0.8, other: 0.5 },
    noBenefitTumourMatch: { same: 1.0, 'pan-cancer': 0.95, related: 0.8, other: 0 },
    driver: { oncogenic: 1.0, likely: 0.7, unknown: 0.1 },
    diminishing: 0.5,
  },
  notRecommendedMinLevel: 'phase2',
  inference: { target: true, pathway: true, pathwayDecay: 0.5, maxHops: 3 },
};

export interface ScoringOptionsInput {
  agency?: Agency;
  weights?: { [K in keyof ScoringWeights]?: ScoringWeights[K] extends number ? number : Partial<ScoringWeights[K]> };
  notRecommendedMinLevel?: Level;
  inference?: Partial<InferenceOptions>;
}

/**
 * The resolved tables of one weights (or inference) input object, made once: a deployment's own weights are one
 * object for the engine's life, and the contribution pools (server/scoring/intern.ts) are kept per resolved
 * table, so resolving them anew on every ranking would give every ranking an empty pool. An input object is
 * read once; the resolved tables are frozen.
 */
const resolvedWeights = new WeakMap<object, ScoringWeights>();
const resolvedInference = new WeakMap<object, InferenceOptions>();

function weightsFor(w: NonNullable<ScoringOptionsInput['weights']> | undefined): ScoringWeights {
  if (w === undefined) return DEFAULTS.weights;
  let r = resolvedWeights.get(w);
  if (r === undefined) {
    r = Object.freeze({
      level: Object.freeze({ ...DEFAULTS.weights.level, ...w.level }),
      variantMatch: Object.freeze({ ...DEFAULTS.weights.variantMatch, ...w.variantMatch }),
      tumourMatch: Object.freeze({ ...DEFAULTS.weights.tumourMatch, ...w.tumourMatch }),
      noBenefitTumourMatch: Object.freeze({ ...DEFAULTS.weights.noBenefitTumourMatch, ...w.noBenefitTumourMatch }),
      driver: Object.freeze({ ...DEFAULTS.weights.driver, ...w.driver }),
      diminishing: w.diminishing ?? DEFAULTS.weights.diminishing,
    });
    resolvedWeights.set(w, r);
  }
  return r;
}

function inferenceFor(i: ScoringOptionsInput['inference']): InferenceOptions {
  if (i === undefined) return DEFAULTS.inference;
  let r = resolvedInference.get(i);
  if (r === undefined) {
    r = Object.freeze({ ...DEFAULTS.inference, ...i });
    resolvedInference.set(i, r);
  }
  return r;
}

/** An installation's scoring options with the agency a request asks for, when it asks for one (engine.rank, batch workers). */
export function withAgency(scoring: ScoringOptionsInput, agency: Agency | undefined): ScoringOptionsInput {
  return agency ? { ...scoring, agency } : scoring;
}

/** Merge partial options over DEFAULTS (one level deep for each weight table). */
export function resolveOptions(input: ScoringOptionsInput = {}): ScoringOptions {
  // The common case (only an agency, or nothing): share the default tables instead of copying them per call.
  if (input.weights === undefined && input.inference === undefined) {
    if (input.notRecommendedMinLevel === undefined && (input.agency === undefined || input.agency === DEFAULTS.agency)) return DEFAULTS;
  }
  return {
    agency: input.agency ?? DEFAULTS.agency,
    notRecommendedMinLevel: input.notRecommendedMinLevel ?? DEFAULTS.notRecommendedMinLevel,
    inference: inferenceFor(input.inference),
    weights: weightsFor(input.weights),
  };
}

/**
 * The rank result of DESIGN §5: what `mtbnet rank --json`, each `batch` line
 * and `POST /api/rank` return. The zod schema documents the contract (OpenAPI)
 * and lets tests and the client check results against it.
 */
import { z } from 'zod';
import { AGENCIES, DIRECTIONS, LEVELS, Source } from './knowledge.ts';

export const VARIANT_MATCHES = ['exact', 'position', 'category', 'gene'] as const;
export const TUMOUR_MATCHES = ['same', 'pan-cancer', 'related', 'other'] as const;
export const DRIVER_CLASSES = ['oncogenic', 'likely', 'unknown'] as const;
export const THERAPY_CLASSES = ['on-label', 'off-label', 'investigational', 'not-recommended'] as const;
export const ESCAT_TIERS = ['I-A', 'I-B', 'I-C', 'II-A', 'II-B', 'III-A', 'III-B', 'IV', 'X'] as const;
export const ONCOKB_LEVELS = ['1', '2', '3A', '3B', '4', 'R1', 'R2'] as const;

export type VariantMatch = (typeof VARIANT_MATCHES)[number];
export type TumourMatch = (typeof TUMOUR_MATCHES)[number];
export type DriverClass = (typeof DRIVER_CLASSES)[number];
export type TherapyClass = (typeof THERAPY_CLASSES)[number];
export type EscatTier = (typeof ESCAT_TIERS)[number];
export type OncoKbLevel = (typeof ONCOKB_LEVELS)[number];

export const EvidenceContribution = z.object({
  id: z.string(),
  level: z.enum(LEVELS),
  direction: z.enum(DIRECTIONS),
  biomarker: z.string().describe('canonical criteria of the biomarker the evidence is about'),
  alterations: z.array(z.string()).describe('keys of the profile alterations that met the biomarker'),
  tumour: z.string(),
  variantMatch: z.enum(VARIANT_MATCHES),
  tumourMatch: z.enum(TUMOUR_MATCHES),
  driver: z.enum(DRIVER_CLASSES),
  factors: z.object({
    sign: z.number(),
    level: z.number(),
    variantMatch: z.number(),
    tumourMatch: z.number(),
    driver: z.number(),
    quality: z.number(),
    diminishing: z.number().describe('factor for the k-th item of the same (biomarker, direction) group'),
    pathway: z.number().optional().describe('inferred evidence only: pathwayDecay^hops along the signalling path'),
  }),
  contribution: z.number(),
  /** Set for evidence inferred from drug targets or signalling pathways rather than read from the knowledge base. */
  inference: z
    .object({ kind: z.enum(['target', 'pathway']), genes: z.array(z.string()), hops: z.number().int().min(0) })
    .optional(),
  /**
   * Set for the one contribution that lifts a therapy's positive sum to the comparator's it beat in a
   * randomised trial (`superiorTo`, docs/scoring.md "Randomised comparisons"). It is not a product of
   * factors (they are all 1): contribution = comparatorPositive - ownPositive, both counted on the trial's alterations. It orders the ranking only:
   * class, tier and OncoKB level are decided without it.
   */
  superiority: z
    .object({
      evidence: z.string().describe('id of the randomised-trial item whose superiorTo names the comparator'),
      comparator: z.string().describe('therapy id of the control arm the trial beat'),
      ownPositive: z.number().describe("the therapy's positive support on the trial's alterations before the lift"),
      comparatorPositive: z.number().describe("the comparator's positive support on the same alterations (itself lifted, in a chain)"),
    })
    .optional(),
  statement: z.string(),
  sources: z.array(Source),
  origin: z.string(),
  unverified: z.boolean().optional(),
  backbone: z
    .array(z.array(z.string()))
    .optional()
    .describe('the partner drugs the therapy was given with in the study (alternatives, each a list): the regimen, not only its targeted part'),
});
export type EvidenceContribution = z.infer<typeof EvidenceContribution>;

/** One drug's label that asks for no biomarker, for a tumour type holding the profile's (RankedTherapy.labelled). */
export const TherapyLabel = z.object({
  drug: z.string(),
  agency: z.enum(AGENCIES),
  tumour: z.string().describe('the labelled tumour type (OncoTree code): the profile\'s own or one above it'),
});
export type TherapyLabel = z.infer<typeof TherapyLabel>;

export const RankedTherapy = z.object({
  id: z.string(),
  drugs: z.array(z.string()),
  score: z.number(),
  positive: z.number(),
  negative: z.number(),
  class: z.enum(THERAPY_CLASSES),
  tier: z.enum(ESCAT_TIERS),
  oncokb: z.enum(ONCOKB_LEVELS).nullable(),
  alterations: z.array(z.string()),
  evidence: z.array(EvidenceContribution),
  labelled: z
    .array(TherapyLabel)
    .optional()
    .describe(
      'why the therapy is on-label when no approval among its evidence makes it so: every drug is labelled by the agency, without a biomarker, for a tumour type that holds the profile\'s (the knowledge base\'s drugs.yaml `labelled`); one entry per drug',
    ),
});
/**
 * A ranked therapy. Treat it as read-only: a therapy resting on one shared contribution is one frozen object
 * shared by every ranking that reaches it (server/scoring/rank.ts), and changing it throws. Copy to change.
 */
export type RankedTherapy = z.infer<typeof RankedTherapy>;

export const RankedAlteration = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.string(),
  gene: z.string(),
  driver: z.enum(DRIVER_CLASSES),
  matched: z.array(z.string()).describe('biomarkers this alteration met'),
});
export type RankedAlteration = z.infer<typeof RankedAlteration>;

export const RankResult = z.object({
  id: z.string(),
  tumourType: z.string().nullable(),
  /** Shared and frozen (one object per knowledge base), like `scoring` (one per agency): copy to change. */
  kb: z.object({ name: z.string(), version: z.string(), hash: z.string() }),
  scoring: z.object({ version: z.string(), agency: z.enum(AGENCIES) }),
  alterations: z.array(RankedAlteration),
  therapies: z.array(RankedTherapy),
  warnings: z.array(z.string()),
});
export type RankResult = z.infer<typeof RankResult>;

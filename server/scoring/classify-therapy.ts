/**
 * Class and tiers of a scored therapy (DESIGN §4):
 * - class: not-recommended (net negative with resistance or no-benefit
 *   evidence of at least phase 2 strength in this tumour type, a related one,
 *   or tumour-agnostic; or any standard-care resistance: guideline, phase 3
 *   or approval-strength resistance evidence in this tumour type), on-label (an approval by the chosen
 *   agency for a met biomarker in this tumour type or tumour-agnostic, or a label of every drug for this tumour
 *   type that asks for no biomarker at all, which takes in every biomarker),
 *   off-label (every drug approved by that agency for something else),
 *   investigational (otherwise);
 * - an ESCAT-like tier (Mateo et al., Ann Oncol 2018) and an OncoKB-like level
 *   (Chakravarty et al., JCO Precis Oncol 2017) from the best evidence.
 * A randomised-comparison lift (superiority.ts) takes no part in any of them:
 * rank.ts classifies before lifting, and these functions skip it as well.
 */
import type { Level } from '../domain/knowledge.ts';
import type { EscatTier, EvidenceContribution, OncoKbLevel, TherapyClass, TherapyLabel } from '../domain/result.ts';
import type { ScoringOptions } from './defaults.ts';
import type { GraphIndex } from './prepare.ts';
import type { TherapyScore } from './score-therapies.ts';

const LEVEL_RANK: Record<Level, number> = {
  approved: 8, guideline: 7, phase3: 6, phase2: 5, phase1: 4, retrospective: 3, 'case-report': 2, preclinical: 1, inferential: 0,
};
const CLINICAL_STRONG: ReadonlySet<Level> = new Set(['approved', 'guideline', 'phase3']);

/**
 * Is every drug of the therapy labelled by the agency, without a biomarker, for the profile's tumour type or a type
 * above it (drugs.yaml `labelled`)? Then every biomarker of that tumour type is within the label. The labels, one per
 * drug: the labelled tumour type nearest the profile's (its own, else the nearest above it); undefined when a drug has
 * none.
 */
export function labelsFor(
  index: GraphIndex,
  drugs: readonly string[],
  agency: ScoringOptions['agency'],
  tumourType: string | undefined,
): TherapyLabel[] | undefined {
  if (tumourType === undefined || drugs.length === 0) return undefined;
  const chain = index.ancestors.get(tumourType);
  if (chain === undefined) return undefined;
  const out: TherapyLabel[] = [];
  for (const drug of drugs) {
    const codes = index.drugLabels.get(drug)?.get(agency);
    // Nearest first: the chain runs from the profile's tumour type up to the root.
    const tumour = codes === undefined ? undefined : chain.find((code) => codes.includes(code));
    if (tumour === undefined) return undefined;
    out.push({ drug, agency, tumour });
  }
  return out;
}

export function classifyTherapy(index: GraphIndex, t: TherapyScore, options: ScoringOptions, tumourType: string | undefined): TherapyClass {
  return therapyClass(index, t, options, tumourType).class;
}

/**
 * A therapy's class, and the labels it rests on when it is on-label through labels that ask for no biomarker alone
 * (no approval among its evidence makes it so): what the ranked therapy shows as the reason (RankedTherapy.labelled).
 */
export function therapyClass(
  index: GraphIndex,
  t: TherapyScore,
  options: ScoringOptions,
  tumourType: string | undefined,
): { class: TherapyClass; labelled?: TherapyLabel[] } {
  const minRank = LEVEL_RANK[options.notRecommendedMinLevel];
  const decisive = (c: EvidenceContribution) => c.contribution < 0 && LEVEL_RANK[c.level] >= minRank && c.tumourMatch !== 'other';
  if (t.score < 0 && t.evidence.some(decisive)) return { class: 'not-recommended' };
  // Standard-care resistance (OncoKB R1) decides on its own: guideline-strength resistance in this tumour type,
  // from a known driver, is not outweighed by the approvals the therapy holds for the primary alteration.
  if (t.evidence.some(isStandardResistance)) return { class: 'not-recommended' };
  const onLabel = t.evidence.some(
    (c) =>
      c.contribution > 0 &&
      c.superiority === undefined &&
      c.level === 'approved' &&
      c.driver !== 'unknown' &&
      (c.tumourMatch === 'same' || c.tumourMatch === 'pan-cancer') &&
      (index.approvalsByEvidence.get(c.id) ?? []).some((a) => a.agency === options.agency),
  );
  if (onLabel && t.score > 0) return { class: 'on-label' };
  // A label without a biomarker takes in every biomarker, but, as for an approval, not a therapy reached from variants of
  // unknown significance alone.
  if (t.score > 0 && t.evidence.some((c) => c.contribution > 0 && c.superiority === undefined && c.driver !== 'unknown')) {
    const labelled = labelsFor(index, t.therapy.drugs, options.agency, tumourType);
    if (labelled !== undefined) return { class: 'on-label', labelled };
  }
  const approvedDrugs = t.therapy.drugs.every((d) => index.drugApprovals.get(d)?.has(options.agency));
  return { class: approvedDrugs ? 'off-label' : 'investigational' };
}

export function isStandardResistance(c: EvidenceContribution): boolean {
  return (
    c.direction === 'resistance' &&
    c.contribution < 0 &&
    CLINICAL_STRONG.has(c.level) &&
    (c.tumourMatch === 'same' || c.tumourMatch === 'pan-cancer') &&
    c.driver !== 'unknown'
  );
}

function best(evidence: readonly EvidenceContribution[], sign: 1 | -1): EvidenceContribution | undefined {
  let top: EvidenceContribution | undefined;
  for (const c of evidence) {
    // A randomised-comparison lift orders the ranking only: it never sets a tier or level.
    if (Math.sign(c.contribution) !== sign || c.superiority !== undefined) continue;
    if (!top || LEVEL_RANK[c.level] > LEVEL_RANK[top.level] || (LEVEL_RANK[c.level] === LEVEL_RANK[top.level] && Math.abs(c.contribution) > Math.abs(top.contribution))) top = c;
  }
  return top;
}

/** ESCAT-like tier from the strongest positive evidence. */
export function escatTier(t: TherapyScore, cls: TherapyClass): EscatTier {
  if (cls === 'not-recommended') return 'X';
  const c = best(t.evidence, 1);
  if (!c) return 'X';
  // Preclinical or inferred evidence, or any evidence reached only from a variant of unknown significance: hypothetical.
  if (c.level === 'preclinical' || c.level === 'inferential' || c.driver === 'unknown') return 'IV';
  const sameTumour = c.tumourMatch === 'same';
  // A gene-level criterion (`BRCA1/2 loss-of-function`, `KRAS mutation`) met by a known driver is met by the population
  // the evidence names (a truncating BRCA2 variant is what PARP inhibitor labels ask for: ESCAT I-A), not by "another
  // variant of the gene" (III-B); reached from a variant of unknown significance it is IV, above.
  if (c.tumourMatch === 'pan-cancer') return LEVEL_RANK[c.level] >= LEVEL_RANK.phase2 ? 'I-C' : 'III-A';
  if (!sameTumour) return 'III-A';
  if (CLINICAL_STRONG.has(c.level)) return 'I-A';
  if (c.level === 'phase2') return 'I-B';
  if (c.level === 'retrospective') return 'II-A';
  return 'II-B'; // phase 1, case reports
}

/** OncoKB-like level: 1, 2, 3A, 3B, 4 for sensitivity; R1, R2 for resistance. */
export function oncoKbLevel(t: TherapyScore, cls: TherapyClass): OncoKbLevel | null {
  if (cls === 'not-recommended') {
    const r = best(t.evidence, -1);
    if (!r) return null;
    return CLINICAL_STRONG.has(r.level) && (r.tumourMatch === 'same' || r.tumourMatch === 'pan-cancer') ? 'R1' : 'R2';
  }
  const c = best(t.evidence, 1);
  if (!c) return null;
  const inTumour = c.tumourMatch === 'same' || c.tumourMatch === 'pan-cancer';
  if (c.level === 'preclinical' || c.level === 'inferential' || c.level === 'case-report' || c.driver === 'unknown') return '4';
  if (!inTumour) return '3B';
  if (c.level === 'approved') return '1';
  if (c.level === 'guideline') return '2';
  return '3A';
}

/** The scoring core (DESIGN §4): pure functions over the evidence graph. */
export { rankTherapies, ScoringError } from './rank.ts';
export { DEFAULTS, SCORING_VERSION, resolveOptions, withAgency, type ScoringOptions, type ScoringOptionsInput } from './defaults.ts';
export { prepareGraph, type GraphIndex, type EvidenceGraphLike } from './prepare.ts';
export { matchAtom, evaluateCriteria, matchBiomarkers, MatchError } from './match-biomarkers.ts';
export { classifyDriver } from './classify-driver.ts';
export { tumourMatch } from './tumour-match.ts';
export { scoreTherapies } from './score-therapies.ts';
export { classifyTherapy, escatTier, oncoKbLevel } from './classify-therapy.ts';
export { inferTherapies, alterationEffect } from './infer.ts';
export { liftSuperiority, carriesComparison, type SuperiorityResult } from './superiority.ts';
export { explainTherapy, explainProfile, contributionPath, type Explanation, type ExplanationNode, type ExplanationLink } from './explain.ts';

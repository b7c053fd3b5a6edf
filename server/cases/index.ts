/** The case workflow (issue 6): one use case per flow, over a CaseStore and the Engine. */
export { caseContext, requireCase, requireMeeting, type CaseContext } from './context.ts';
export { createCase } from './create-case.ts';
export { addProfile } from './add-profile.ts';
export { rankCase, snapshotOf } from './rank-case.ts';
export { rankProfile } from './rank-profile.ts';
export { changeStatus, assertTransition } from './change-status.ts';
export { createMeeting, addToAgenda } from './meetings.ts';
export { recordDecision } from './record-decision.ts';
export { recordFollowUp } from './record-follow-up.ts';
export { outcomeSummary, summariseOutcomes } from './outcome-summary.ts';
export { similarCases } from './similar-cases.ts';
export { listCaseSummaries, matchesSearch, DEFAULT_PAGE, MAX_PAGE, type CaseSummaryQuery } from './case-summaries.ts';
export { reevaluate, topOf, evidenceDiff, DEFAULT_TOP } from './reevaluate.ts';

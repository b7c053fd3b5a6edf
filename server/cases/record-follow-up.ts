/**
 * Record what happened after the decision: treatment started or not (and why),
 * best response (RECIST), progression. The first follow-up moves the case to follow-up.
 */
import type { FollowUp, NewFollowUpInput } from '../domain/case.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { requireCase, type CaseContext } from './context.ts';

export async function recordFollowUp(ctx: CaseContext, caseId: string, input: NewFollowUpInput, recordedBy: string): Promise<FollowUp> {
  const c = await requireCase(ctx, caseId);
  if (c.status !== 'decided' && c.status !== 'follow-up') {
    throw new ConflictError(`cases: case "${caseId}" is ${c.status}; follow-up is recorded after a decision`, [{ path: 'status', message: c.status }]);
  }
  const decisions = await ctx.store.listDecisions({ caseId });
  const decision = input.decisionId ? decisions.find((d) => d.id === input.decisionId) : decisions[decisions.length - 1];
  if (!decision) throw new NotFoundError(`cases: no decision "${input.decisionId}" for case "${caseId}"`, [{ path: 'decisionId', message: 'unknown decision' }]);
  const followUp: FollowUp = {
    id: ctx.newId(),
    caseId,
    decisionId: decision.id,
    started: input.started,
    reasonNotStarted: input.reasonNotStarted ?? null,
    startedOn: input.startedOn ?? null,
    bestResponse: input.bestResponse ?? null,
    progressionDate: input.progressionDate ?? null,
    recordedBy,
    recordedAt: ctx.now(),
  };
  await ctx.store.addFollowUp(followUp, c.status === 'decided' ? { from: 'decided', to: 'follow-up', at: followUp.recordedAt } : undefined);
  return followUp;
}

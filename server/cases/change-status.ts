/** Move a case along new -> prepared -> discussed -> decided -> follow-up; anything else is a conflict. */
import { canTransition, TRANSITIONS, type CaseRecord, type CaseStatus } from '../domain/case.ts';
import { ConflictError } from '../domain/errors.ts';
import { requireCase, type CaseContext } from './context.ts';

export function assertTransition(caseId: string, from: CaseStatus, to: CaseStatus): void {
  if (canTransition(from, to)) return;
  const allowed = TRANSITIONS[from];
  throw new ConflictError(`cases: case "${caseId}" cannot go from ${from} to ${to}`, [
    { path: 'status', message: allowed.length ? `from ${from} the case can go to ${allowed.join(' or ')}` : `${from} is the last status` },
  ]);
}

export async function changeStatus(ctx: CaseContext, caseId: string, to: CaseStatus): Promise<CaseRecord> {
  const c = await requireCase(ctx, caseId);
  assertTransition(caseId, c.status, to);
  const at = ctx.now();
  await ctx.store.setStatus(caseId, { from: c.status, to, at });
  const { profiles: _p, ...record } = c;
  return { ...record, status: to, updatedAt: at };
}

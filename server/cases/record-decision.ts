/**
 * Record what the board decided for a case at a meeting: the chosen therapy
 * (which may differ from the ranking), why, the evidence cited, alternatives
 * and dissent. The decision is set against the latest ranking snapshot, so the
 * outcome summary can tell how often the board followed the top rank.
 */
import type { Decision, NewDecisionInput } from '../domain/case.ts';
import { ConflictError } from '../domain/errors.ts';
import { therapyId } from '../domain/knowledge.ts';
import { requireCase, requireMeeting, type CaseContext } from './context.ts';

export async function recordDecision(ctx: CaseContext, meetingId: string, input: NewDecisionInput, recordedBy: string): Promise<Decision> {
  const meeting = await requireMeeting(ctx, meetingId);
  const c = await requireCase(ctx, input.caseId);
  if (!meeting.agenda.includes(c.id)) {
    throw new ConflictError(`cases: case "${c.id}" is not on the agenda of meeting ${meeting.id} (${meeting.date}, ${meeting.board})`, [
      { path: 'caseId', message: 'add the case to the meeting first' },
    ]);
  }
  if (c.status !== 'prepared' && c.status !== 'discussed') {
    throw new ConflictError(`cases: case "${c.id}" is ${c.status}; a decision is recorded for a prepared or discussed case`, [
      { path: 'caseId', message: `status ${c.status}` },
    ]);
  }
  const [snapshot] = await ctx.store.listSnapshots(c.id);
  // A profile added after the stored ranking (a relapse sample, say) is not in it: the board would decide on what
  // the screen no longer shows.
  const newest = c.profiles[c.profiles.length - 1];
  if (snapshot && newest && snapshot.profileSeq !== newest.seq) {
    throw new ConflictError(
      `cases: case "${c.id}" has a newer profile (${newest.seq}) than its stored ranking (of profile ${snapshot.profileSeq}): rank the case again before recording the decision`,
      [{ path: 'caseId', message: `profile ${newest.seq} is not ranked` }],
    );
  }
  const ranked = snapshot?.result.therapies ?? [];
  const chosen = therapyId(input.therapy);
  const index = ranked.findIndex((t) => t.id === chosen);
  const top = ranked[0]?.id ?? null;
  const decision: Decision = {
    id: ctx.newId(),
    caseId: c.id,
    meetingId: meeting.id,
    snapshotId: snapshot?.id ?? null,
    therapy: [...input.therapy].sort(),
    therapyId: chosen,
    rank: index >= 0 ? index + 1 : null,
    topTherapyId: top,
    followedTopRank: top !== null && top === chosen,
    class: index >= 0 ? ranked[index]!.class : null,
    tier: index >= 0 ? ranked[index]!.tier : null,
    rationale: input.rationale,
    evidenceCited: input.evidenceCited,
    alternatives: input.alternatives.map((a) => [...a].sort()),
    dissent: input.dissent ?? null,
    recordedBy,
    recordedAt: ctx.now(),
  };
  await ctx.store.addDecision(decision, { from: c.status, to: 'decided', at: decision.recordedAt });
  return decision;
}

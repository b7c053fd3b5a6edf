/** Board meetings: schedule one with its agenda, add a case to it. */
import type { Meeting, NewMeetingInput } from '../domain/case.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { requireCase, requireMeeting, type CaseContext } from './context.ts';

export async function createMeeting(ctx: CaseContext, input: NewMeetingInput): Promise<Meeting> {
  const agenda = [...new Set(input.agenda)];
  const missing: string[] = [];
  for (const id of agenda) if (!(await ctx.store.getCase(id))) missing.push(id);
  if (missing.length > 0) {
    throw new NotFoundError(`cases: the agenda names unknown case(s) ${missing.join(', ')}`, missing.map((m) => ({ path: 'agenda', message: `no case "${m}"` })));
  }
  const meeting: Meeting = { id: ctx.newId(), date: input.date, board: input.board, attendees: input.attendees, agenda, createdAt: ctx.now() };
  await ctx.store.createMeeting(meeting);
  return meeting;
}

export async function addToAgenda(ctx: CaseContext, meetingId: string, caseId: string): Promise<Meeting> {
  const meeting = await requireMeeting(ctx, meetingId);
  const c = await requireCase(ctx, caseId);
  if (c.status === 'follow-up') throw new ConflictError(`cases: case "${caseId}" is in follow-up and closed; it goes on no agenda`);
  await ctx.store.addToAgenda(meeting.id, caseId);
  return (await ctx.store.getMeeting(meetingId))!;
}

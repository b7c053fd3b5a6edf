/**
 * The case workflow over HTTP: cases and their profiles, ranking snapshots,
 * status, follow-up and similar cases; board meetings, their agenda and
 * decisions; the outcome summary and re-evaluation. Thin routes: parse with
 * zod, call one use case, send its value. Writes need clinician or admin.
 */
import { Router } from 'express';
import {
  addProfile, addToAgenda, changeStatus, createCase, createMeeting, listCaseSummaries, outcomeSummary, rankCase, recordDecision,
  recordFollowUp, reevaluate, requireCase, requireMeeting, similarCases, type CaseContext,
} from '../../cases/index.ts';
import type { Snapshot } from '../../domain/case.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { requireRole } from '../auth.ts';
import { reportRouter } from '../report/router.ts';
import {
  AgendaInput, CaseParams, CaseSummariesQuery, EmptyQuery, ListCasesQuery, MeetingParams, NewCaseInput, NewDecisionInput, NewFollowUpInput,
  NewMeetingInput, ProfileSubmission, RankCaseQuery, ReevaluateInput, SnapshotParams, StatusChangeInput, parse,
} from './schema.ts';

const read = requireRole('viewer', 'clinician', 'curator', 'admin');
const write = requireRole('clinician', 'admin');

/** A snapshot without its full result, for lists. */
export const snapshotSummary = (s: Snapshot) => ({
  id: s.id, caseId: s.caseId, profileSeq: s.profileSeq, createdAt: s.createdAt, kb: s.kb, scoring: s.scoring, top: s.top.slice(0, 5),
});

export function casesRouter(ctx: CaseContext): Router {
  const router = Router();
  const principal = (req: { principal?: { id: string } }) => req.principal!.id;

  router.post('/cases', write, async (req, res) => {
    parse(EmptyQuery, req.query, 'query', 'cases');
    const input = parse(NewCaseInput, req.body, 'body', 'cases');
    const { case: created, warnings } = await createCase(ctx, input);
    res.status(201).location(`/api/cases/${encodeURIComponent(created.id)}`).json({ case: created, warnings });
  });

  router.get('/cases', read, async (req, res) => {
    const q = parse(ListCasesQuery, req.query, 'query', 'cases');
    res.json({ cases: await ctx.store.listCases({ status: q.status }) });
  });

  // The case list of the board client: one page of summaries, searched and filtered on the server.
  router.get('/case-summaries', read, async (req, res) => {
    res.json(await listCaseSummaries(ctx, parse(CaseSummariesQuery, req.query, 'query', 'cases')));
  });

  router.get('/cases/:id', read, async (req, res) => {
    const { id } = parse(CaseParams, req.params, 'params', 'cases');
    const c = await requireCase(ctx, id);
    const [snapshots, decisions, followUps] = await Promise.all([
      ctx.store.listSnapshots(id), ctx.store.listDecisions({ caseId: id }), ctx.store.listFollowUps({ caseId: id }),
    ]);
    res.json({ case: c, snapshots: snapshots.map(snapshotSummary), decisions, followUps });
  });

  router.post('/cases/:id/profiles', write, async (req, res) => {
    const { id } = parse(CaseParams, req.params, 'params', 'cases');
    const body = parse(ProfileSubmission, req.body, 'body', 'cases');
    res.status(201).json(await addProfile(ctx, id, body));
  });

  router.post('/cases/:id/rank', write, async (req, res) => {
    const { id } = parse(CaseParams, req.params, 'params', 'cases');
    const q = parse(RankCaseQuery, req.query, 'query', 'cases');
    const snapshot = await rankCase(ctx, id, { agency: q.agency });
    res.status(201).location(`/api/cases/${encodeURIComponent(id)}/snapshots/${snapshot.id}`).json(snapshot);
  });

  router.get('/cases/:id/snapshots', read, async (req, res) => {
    const { id } = parse(CaseParams, req.params, 'params', 'cases');
    await requireCase(ctx, id);
    res.json({ snapshots: (await ctx.store.listSnapshots(id)).map(snapshotSummary) });
  });

  router.get('/cases/:id/snapshots/:snapshotId', read, async (req, res) => {
    const { id, snapshotId } = parse(SnapshotParams, req.params, 'params', 'cases');
    const s = await ctx.store.getSnapshot(snapshotId);
    if (!s || s.caseId !== id) throw new NotFoundError(`cases: no snapshot "${snapshotId}" for case "${id}"`);
    res.json(s);
  });

  router.post('/cases/:id/status', write, async (req, res) => {
    const { id } = parse(CaseParams, req.params, 'params', 'cases');
    const { status } = parse(StatusChangeInput, req.body, 'body', 'cases');
    res.json({ case: await changeStatus(ctx, id, status) });
  });

  router.post('/cases/:id/follow-ups', write, async (req, res) => {
    const { id } = parse(CaseParams, req.params, 'params', 'cases');
    const input = parse(NewFollowUpInput, req.body, 'body', 'cases');
    res.status(201).json(await recordFollowUp(ctx, id, input, principal(req)));
  });

  router.get('/cases/:id/similar', read, async (req, res) => {
    const { id } = parse(CaseParams, req.params, 'params', 'cases');
    res.json({ caseId: id, similar: await similarCases(ctx, id) });
  });

  router.post('/meetings', write, async (req, res) => {
    const input = parse(NewMeetingInput, req.body, 'body', 'meetings');
    const meeting = await createMeeting(ctx, input);
    res.status(201).location(`/api/meetings/${meeting.id}`).json(meeting);
  });

  router.get('/meetings', read, async (_req, res) => {
    res.json({ meetings: await ctx.store.listMeetings() });
  });

  router.get('/meetings/:id', read, async (req, res) => {
    const { id } = parse(MeetingParams, req.params, 'params', 'meetings');
    const meeting = await requireMeeting(ctx, id);
    res.json({ ...meeting, decisions: await ctx.store.listDecisions({ meetingId: id }) });
  });

  router.post('/meetings/:id/agenda', write, async (req, res) => {
    const { id } = parse(MeetingParams, req.params, 'params', 'meetings');
    const { caseId } = parse(AgendaInput, req.body, 'body', 'meetings');
    res.json(await addToAgenda(ctx, id, caseId));
  });

  router.post('/meetings/:id/decisions', write, async (req, res) => {
    const { id } = parse(MeetingParams, req.params, 'params', 'meetings');
    const input = parse(NewDecisionInput, req.body, 'body', 'meetings');
    res.status(201).json(await recordDecision(ctx, id, input, principal(req)));
  });

  router.get('/outcomes', read, async (_req, res) => {
    res.json(await outcomeSummary(ctx));
  });

  router.post('/reevaluate', requireRole('clinician', 'curator', 'admin'), async (req, res) => {
    const input = parse(ReevaluateInput, req.body ?? {}, 'body', 'reevaluate');
    res.json(await reevaluate(ctx, input));
  });

  router.use(reportRouter(ctx));
  return router;
}

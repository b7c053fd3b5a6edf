/**
 * The case, meeting and outcome paths of the OpenAPI document, generated from
 * the same zod schemas that validate the requests (server/domain/case.ts).
 */
import {
  AgendaInput, CaseDetail, CaseRecord, CaseSummaryPage, Decision, FollowUp, Meeting, NewCaseInput, NewDecisionInput, NewFollowUpInput, NewMeetingInput,
  OutcomeSummary, ProfileRecord, ProfileSubmission, ReevaluationReport, SimilarCase, Snapshot, StatusChangeInput,
} from '../../domain/case.ts';
import { ReevaluateInput } from './schema.ts';
import { reportPaths } from '../report/openapi.ts';

import { body, err, json, ok, ref, toSchema } from '../openapi-helpers.ts';
const caseId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'pseudonymous case id' };
const meetingId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'meeting id' };
const roles = (write: boolean) => (write ? 'Roles: clinician or admin.' : 'Roles: viewer, clinician, curator or admin.');

export function caseSchemas(): Record<string, Record<string, unknown>> {
  return {
    NewCase: toSchema(NewCaseInput, 'input'),
    ProfileSubmission: toSchema(ProfileSubmission, 'input'),
    StatusChange: toSchema(StatusChangeInput, 'input'),
    NewMeeting: toSchema(NewMeetingInput, 'input'),
    AgendaEntry: toSchema(AgendaInput, 'input'),
    NewDecision: toSchema(NewDecisionInput, 'input'),
    NewFollowUp: toSchema(NewFollowUpInput, 'input'),
    Reevaluate: toSchema(ReevaluateInput, 'input'),
    Case: toSchema(CaseRecord, 'output'),
    CaseSummaryPage: toSchema(CaseSummaryPage, 'output'),
    CaseDetail: toSchema(CaseDetail, 'output'),
    ProfileRecord: toSchema(ProfileRecord, 'output'),
    Snapshot: toSchema(Snapshot, 'output'),
    Meeting: toSchema(Meeting, 'output'),
    Decision: toSchema(Decision, 'output'),
    FollowUp: toSchema(FollowUp, 'output'),
    OutcomeSummary: toSchema(OutcomeSummary, 'output'),
    SimilarCase: toSchema(SimilarCase, 'output'),
    ReevaluationReport: toSchema(ReevaluationReport, 'output'),
  };
}

export function casePaths(): Record<string, unknown> {
  const object = { type: 'object' };
  return {
    ...reportPaths(),
    '/api/cases': {
      post: {
        summary: 'Open a case from a profile (reader text or DESIGN §5 JSON); pseudonymous id only',
        description: roles(true),
        requestBody: body('NewCase'),
        responses: { ...ok('created', { type: 'object', properties: { case: ref('CaseDetail'), warnings: { type: 'array', items: { type: 'string' } } } }, '201'),
          ...err('400', 'invalid body or profile; details name the field or line'), ...err('409', 'the case id exists') },
      },
      get: {
        summary: 'List cases',
        description: roles(false),
        parameters: [{ name: 'status', in: 'query', schema: { type: 'string' }, description: 'comma-separated statuses, e.g. new,prepared' }],
        responses: { ...ok('cases', { type: 'object', properties: { cases: { type: 'array', items: ref('Case') } } }), ...err('400', 'bad status') },
      },
    },
    '/api/case-summaries': {
      get: {
        summary: 'The case list: one page of summaries (latest alterations, top of the latest ranking), most recently updated first',
        description: `${roles(false)} The search \`q\` keeps cases where every word occurs in the case ID, the tumour type, or a gene, label or key of the latest profile.`,
        parameters: [
          { name: 'q', in: 'query', schema: { type: 'string', maxLength: 200 }, description: 'search words, e.g. "KRAS COADREAD"' },
          { name: 'status', in: 'query', schema: { type: 'string' }, description: 'comma-separated statuses, e.g. new,prepared' },
          { name: 'ids', in: 'query', schema: { type: 'string' }, description: 'comma-separated case ids (a meeting agenda), at most 500' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
        ],
        responses: { ...ok('a page of case summaries', ref('CaseSummaryPage')), ...err('400', 'bad query parameter; details name it') },
      },
    },
    '/api/cases/{id}': {
      get: {
        summary: 'A case with its profiles, snapshots (summaries), decisions and follow-up',
        description: roles(false),
        parameters: [caseId],
        responses: { ...ok('the case', object), ...err('404', 'no such case') },
      },
    },
    '/api/cases/{id}/profiles': {
      post: {
        summary: 'Add a later sample to a case',
        description: roles(true),
        parameters: [caseId],
        requestBody: body('ProfileSubmission'),
        responses: { ...ok('added', { type: 'object', properties: { profile: ref('ProfileRecord') } }, '201'), ...err('400', 'invalid profile'), ...err('404', 'no such case'), ...err('409', 'the case is closed') },
      },
    },
    '/api/cases/{id}/rank': {
      post: {
        summary: "Rank the case's latest profile and store an immutable snapshot (a new case becomes prepared)",
        description: roles(true),
        parameters: [caseId, { name: 'agency', in: 'query', schema: { type: 'string', enum: ['FDA', 'EMA'] } }],
        responses: { ...ok('the snapshot', ref('Snapshot'), '201'), ...err('404', 'no such case'), ...err('409', 'the case is in follow-up') },
      },
    },
    '/api/cases/{id}/snapshots': {
      get: { summary: 'Ranking snapshots of a case, newest first (without the full result)', description: roles(false), parameters: [caseId], responses: { ...ok('snapshots', object), ...err('404', 'no such case') } },
    },
    '/api/cases/{id}/snapshots/{snapshotId}': {
      get: {
        summary: 'One snapshot with its full rank result',
        description: roles(false),
        parameters: [caseId, { name: 'snapshotId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { ...ok('the snapshot', ref('Snapshot')), ...err('404', 'no such snapshot for this case') },
      },
    },
    '/api/cases/{id}/status': {
      post: {
        summary: 'Move a case along new -> prepared -> discussed -> decided -> follow-up (discussed may go back to prepared)',
        description: roles(true),
        parameters: [caseId],
        requestBody: body('StatusChange'),
        responses: { ...ok('moved', { type: 'object', properties: { case: ref('Case') } }), ...err('400', 'unknown status'), ...err('404', 'no such case'), ...err('409', 'transition not allowed') },
      },
    },
    '/api/cases/{id}/follow-ups': {
      post: {
        summary: 'Record follow-up of the latest (or a given) decision; the case moves to follow-up',
        description: roles(true),
        parameters: [caseId],
        requestBody: body('NewFollowUp'),
        responses: { ...ok('recorded', ref('FollowUp'), '201'), ...err('400', 'invalid body'), ...err('404', 'no such case or decision'), ...err('409', 'no decision yet') },
      },
    },
    '/api/cases/{id}/similar': {
      get: {
        summary: 'Earlier cases sharing an alteration (same gene and change), with their decisions and outcomes',
        description: roles(false),
        parameters: [caseId],
        responses: { ...ok('similar cases', { type: 'object', properties: { caseId: { type: 'string' }, similar: { type: 'array', items: ref('SimilarCase') } } }), ...err('404', 'no such case') },
      },
    },
    '/api/meetings': {
      post: { summary: 'Schedule a board meeting (date, board, attendees as roles or initials, agenda)', description: roles(true), requestBody: body('NewMeeting'), responses: { ...ok('created', ref('Meeting'), '201'), ...err('400', 'invalid body'), ...err('404', 'the agenda names an unknown case') } },
      get: { summary: 'Meetings, newest first', description: roles(false), responses: ok('meetings', { type: 'object', properties: { meetings: { type: 'array', items: ref('Meeting') } } }) },
    },
    '/api/meetings/{id}': {
      get: { summary: 'A meeting with its decisions', description: roles(false), parameters: [meetingId], responses: { ...ok('the meeting', object), ...err('404', 'no such meeting') } },
    },
    '/api/meetings/{id}/agenda': {
      post: { summary: 'Add a case to the agenda', description: roles(true), parameters: [meetingId], requestBody: body('AgendaEntry'), responses: { ...ok('the meeting', ref('Meeting')), ...err('404', 'no such meeting or case'), ...err('409', 'the case is closed') } },
    },
    '/api/meetings/{id}/decisions': {
      post: {
        summary: "Record the board's decision for a case on the agenda (the therapy may differ from the ranking)",
        description: roles(true),
        parameters: [meetingId],
        requestBody: body('NewDecision'),
        responses: { ...ok('recorded', ref('Decision'), '201'), ...err('400', 'invalid body'), ...err('404', 'no such meeting or case'), ...err('409', 'the case is not on the agenda, not prepared or discussed, or has a profile newer than its stored ranking') },
      },
    },
    '/api/outcomes': {
      get: { summary: 'How often the board followed the top rank; responses by therapy, class and tier', description: roles(false), responses: ok('summary', ref('OutcomeSummary')) },
    },
    '/api/reevaluate': {
      post: {
        summary: 'Re-rank open cases with the current knowledge base; list those whose top therapies changed and the evidence that caused it',
        description: 'Roles: clinician, curator or admin. With save: true the new rankings are stored as snapshots.',
        requestBody: { required: false, content: json(ref('Reevaluate')) },
        responses: { ...ok('report', ref('ReevaluationReport')), ...err('400', 'invalid body') },
      },
    },
  };
}

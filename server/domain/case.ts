/**
 * The case workflow of a molecular tumour board (issue 6): a pseudonymous case
 * with its profiles over time, immutable ranking snapshots, board meetings,
 * decisions and follow-up. Strict zod schemas: unknown fields are rejected, so
 * no names, birth dates or record numbers can enter through these shapes.
 * Pure: no I/O, usable in the browser.
 */
import { z } from 'zod';
import { CASE_ID, ONCOTREE_CODE, type Profile } from './profile.ts';
import { RankResult, THERAPY_CLASSES, ESCAT_TIERS } from './result.ts';

// ---- status and its transitions ----

export const CASE_STATUSES = ['new', 'prepared', 'discussed', 'decided', 'follow-up'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * Allowed transitions. A discussed case may go back to prepared (deferred to a
 * later meeting); everything else only moves forward one step.
 */
export const TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  new: ['prepared'],
  prepared: ['discussed'],
  discussed: ['decided', 'prepared'],
  decided: ['follow-up'],
  'follow-up': [],
};

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Cases still open to change: re-evaluation re-ranks these. A case in follow-up is closed. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['new', 'prepared', 'discussed', 'decided'];

export const RECIST = ['CR', 'PR', 'SD', 'PD', 'NE'] as const;
export type Recist = (typeof RECIST)[number];

// ---- small field schemas ----

export const CaseId = z.string().trim().regex(CASE_ID, 'a case id is pseudonymous: letters, digits, . _ : - (at most 64)');
/** A calendar date in an ID (1961-03-12, 12.03.1961, 1961_03_12): a date of birth, as likely as any other. */
const DATE_IN_ID = /(?:^|[^0-9])(?:(?:19|20)\d{2}[-._:](?:0?[1-9]|1[0-2])[-._:](?:0?[1-9]|[12]\d|3[01])|(?:0?[1-9]|[12]\d|3[01])[-._:](?:0?[1-9]|1[0-2])[-._:](?:19|20)\d{2})(?:$|[^0-9])/;
/**
 * The ID of a new case: pseudonymous, and holding no calendar date (it is shown on the shared screen, printed in
 * reports and sent in FHIR bundles). Cases stored before keep their IDs.
 */
export const NewCaseId = CaseId.refine((id) => !DATE_IN_ID.test(id), {
  message: 'a case ID holds no date (a date of birth?): use the board\'s own numbering, e.g. MTB-2025-014',
});
export const TumourCode = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(ONCOTREE_CODE, 'tumourType must be an OncoTree code such as LUAD or COADREAD'));
export const IsoDate = z.iso.date('a date is YYYY-MM-DD');
const drugName = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9 -]*$/, 'drug names are lower-case INNs such as "osimertinib"');
/** A therapy as its drugs; stored and compared by its id (drugs sorted, joined with " + "). */
export const TherapyDrugs = z.array(drugName).min(1, 'name at least one drug').max(6);
/** A short label such as "primary", "relapse-2", "liquid biopsy"; never a name. */
export const SampleLabel = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$/, 'a sample label is short: letters, digits, space . _ -');
/** An attendee is a role label ("pathologist") or pseudonymous initials ("AB"); no full names are needed. */
export const Attendee = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z .-]{0,39}$/, 'an attendee is a role label or initials (at most 40 letters)')
  .refine((a) => !/^(?:dr|prof|mr|mrs|ms|miss|frau|herr)\.?\s+\S/i.test(a), { message: 'an attendee is a role label ("pathologist") or initials ("AB"), never a name with a title' });
const Text = (max: number) => z.string().trim().min(1).max(max);
export const EvidenceId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'evidence ids are the knowledge-base ids');

// ---- records (what the store holds and the API returns) ----

const Timestamp = z.string().describe('ISO 8601 timestamp');
const KbRef = z.object({ name: z.string(), version: z.string(), hash: z.string() });

export const ProfileRecord = z.object({
  caseId: z.string(),
  seq: z.number().int().describe('1, 2, ... in the order samples were added'),
  sample: z.string().nullable(),
  collectedOn: z.string().nullable().describe('sampling date, if the lab gave one (not identifying)'),
  createdAt: Timestamp,
  profile: z.custom<Profile>().describe('the normalised profile, as ranked'),
  alterationKeys: z.array(z.string()).describe('canonical alteration keys, for similar-case search'),
});
export type ProfileRecord = z.infer<typeof ProfileRecord>;

export const CaseRecord = z.object({
  id: z.string(),
  tumourType: z.string().nullable(),
  status: z.enum(CASE_STATUSES),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type CaseRecord = z.infer<typeof CaseRecord>;

export const CaseDetail = CaseRecord.extend({ profiles: z.array(ProfileRecord) });
export type CaseDetail = z.infer<typeof CaseDetail>;

export const Snapshot = z.object({
  id: z.string(),
  caseId: z.string(),
  profileSeq: z.number().int(),
  createdAt: Timestamp,
  kb: KbRef,
  scoring: z.object({ version: z.string(), agency: z.string() }),
  top: z.array(z.string()).describe('therapy ids of the ranking in order (the top is first)'),
  result: RankResult,
});
export type Snapshot = z.infer<typeof Snapshot>;

export const Meeting = z.object({
  id: z.string(),
  date: z.string(),
  board: z.string(),
  attendees: z.array(z.string()),
  agenda: z.array(z.string()).describe('case ids, in agenda order'),
  createdAt: Timestamp,
});
export type Meeting = z.infer<typeof Meeting>;

export const Decision = z.object({
  id: z.string(),
  caseId: z.string(),
  meetingId: z.string(),
  snapshotId: z.string().nullable().describe('the ranking the board looked at'),
  therapy: z.array(z.string()),
  therapyId: z.string(),
  rank: z.number().int().nullable().describe('1-based rank of the chosen therapy in the snapshot; null when it was not ranked'),
  topTherapyId: z.string().nullable(),
  followedTopRank: z.boolean(),
  class: z.enum(THERAPY_CLASSES).nullable(),
  tier: z.enum(ESCAT_TIERS).nullable(),
  rationale: z.string(),
  evidenceCited: z.array(z.string()),
  alternatives: z.array(z.array(z.string())),
  dissent: z.string().nullable(),
  recordedBy: z.string().describe('principal id'),
  recordedAt: Timestamp,
});
export type Decision = z.infer<typeof Decision>;

export const FollowUp = z.object({
  id: z.string(),
  caseId: z.string(),
  decisionId: z.string(),
  started: z.boolean(),
  reasonNotStarted: z.string().nullable(),
  startedOn: z.string().nullable(),
  bestResponse: z.enum(RECIST).nullable(),
  progressionDate: z.string().nullable(),
  recordedBy: z.string(),
  recordedAt: Timestamp,
});
export type FollowUp = z.infer<typeof FollowUp>;

// ---- inputs (the boundary: strict, nothing identifying) ----

/** Formats of one sample's profile (a JSONL file holds many profiles, so it is not one of them). */
export const CASE_PROFILE_FORMATS = ['json', 'text', 'vcf', 'maf', 'cnv', 'fusion'] as const;

/** A profile sent to a case: readers' text (any supported format) or a DESIGN §5 JSON profile. */
export const ProfileSubmission = z.strictObject({
  text: z.string().min(1, 'text is empty').max(10_000_000).optional(),
  format: z.enum(CASE_PROFILE_FORMATS, { error: `format is one of ${CASE_PROFILE_FORMATS.join(', ')}` }).optional(),
  profile: z.record(z.string(), z.unknown()).optional(),
  sample: SampleLabel.optional(),
  /**
   * Which sample of a file holding several to read (a VCF's sample column: tumour and normal, say; a MAF's
   * Tumor_Sample_Barcode): used to choose it, never stored (a sample name may be a patient's identifier; the case
   * keeps its own ID).
   */
  readSample: z.string().min(1).max(128).optional(),
  collectedOn: IsoDate.optional(),
}).refine((p) => (p.text === undefined) !== (p.profile === undefined), {
  message: 'send the profile either as text (with an optional format) or as a JSON profile, not both',
  path: ['text'],
}).refine((p) => p.readSample === undefined || p.text !== undefined, {
  message: 'readSample chooses a sample of a VCF or MAF sent as text; a JSON profile is one sample already',
  path: ['readSample'],
});
export type ProfileSubmission = z.infer<typeof ProfileSubmission>;

export const NewCaseInput = z.strictObject({
  id: NewCaseId,
  tumourType: TumourCode.optional(),
  profile: ProfileSubmission,
});
export type NewCaseInput = z.infer<typeof NewCaseInput>;

export const StatusChangeInput = z.strictObject({ status: z.enum(CASE_STATUSES) });

export const NewMeetingInput = z.strictObject({
  date: IsoDate,
  board: Text(80),
  attendees: z.array(Attendee).max(50).default([]),
  agenda: z.array(CaseId).max(100).default([]),
});
export type NewMeetingInput = z.infer<typeof NewMeetingInput>;

export const AgendaInput = z.strictObject({ caseId: CaseId });

export const NewDecisionInput = z.strictObject({
  caseId: CaseId,
  therapy: TherapyDrugs,
  rationale: Text(4000),
  evidenceCited: z.array(EvidenceId).max(100).default([]),
  alternatives: z.array(TherapyDrugs).max(20).default([]),
  dissent: Text(4000).optional(),
});
export type NewDecisionInput = z.infer<typeof NewDecisionInput>;

export const NewFollowUpInput = z
  .strictObject({
    decisionId: z.string().min(1).max(64).optional(),
    started: z.boolean(),
    reasonNotStarted: Text(1000).optional(),
    startedOn: IsoDate.optional(),
    bestResponse: z.enum(RECIST).optional(),
    progressionDate: IsoDate.optional(),
  })
  .superRefine((f, ctx) => {
    if (!f.started && !f.reasonNotStarted) ctx.addIssue({ code: 'custom', path: ['reasonNotStarted'], message: 'say why the treatment was not started' });
    if (!f.started && (f.bestResponse || f.progressionDate || f.startedOn)) {
      ctx.addIssue({ code: 'custom', path: ['started'], message: 'a response, start or progression date needs started: true' });
    }
    if (f.startedOn && f.progressionDate && f.progressionDate < f.startedOn) {
      ctx.addIssue({ code: 'custom', path: ['progressionDate'], message: 'progression cannot come before the start of treatment' });
    }
  });
export type NewFollowUpInput = z.infer<typeof NewFollowUpInput>;

// ---- read models ----

const OutcomeCounts = z.object({
  decisions: z.number().int(),
  followedTopRank: z.number().int(),
  responses: z.record(z.enum([...RECIST, 'none']), z.number().int()),
});
export type OutcomeCounts = z.infer<typeof OutcomeCounts>;

export const OutcomeSummary = z.object({
  cases: z.number().int(),
  decisions: z.number().int(),
  followedTopRank: z.number().int(),
  followedTopRankRate: z.number().nullable().describe('followedTopRank / decisions, or null with no decisions'),
  byTherapy: z.array(OutcomeCounts.extend({ therapy: z.string() })),
  byClass: z.record(z.string(), OutcomeCounts),
  byTier: z.record(z.string(), OutcomeCounts),
});
export type OutcomeSummary = z.infer<typeof OutcomeSummary>;

/**
 * One line of the case list: the case, what its latest profile holds and the top of its latest
 * ranking, without the profiles' and snapshots' bodies (GET /api/case-summaries).
 */
export const CaseSummary = CaseRecord.extend({
  alterations: z
    .array(z.object({ key: z.string(), label: z.string(), gene: z.string() }))
    .describe('alterations of the latest profile, in profile order; empty before the first profile'),
  top: z
    .array(z.string())
    .describe('therapy ids at the top of the latest ranking of the latest profile (at most five); empty when that profile is not ranked (never, or a newer profile was added since)'),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const CaseSummaryPage = z.object({
  cases: z.array(CaseSummary).describe('most recently updated first'),
  total: z.number().int().describe('cases matching the search and filters, over all pages'),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type CaseSummaryPage = z.infer<typeof CaseSummaryPage>;

export const SimilarCase = z.object({
  caseId: z.string(),
  tumourType: z.string().nullable(),
  status: z.enum(CASE_STATUSES),
  createdAt: Timestamp,
  shared: z.array(z.string()).describe('alteration keys this case shares'),
  decisions: z.array(Decision),
  followUps: z.array(FollowUp),
});
export type SimilarCase = z.infer<typeof SimilarCase>;

export const ReevaluationChange = z.object({
  caseId: z.string(),
  status: z.enum(CASE_STATUSES),
  previous: z.object({ snapshotId: z.string(), kb: KbRef, top: z.array(z.string()) }),
  current: z.object({ kb: KbRef, top: z.array(z.string()), snapshotId: z.string().nullable() }),
  evidence: z
    .array(z.object({
      id: z.string(),
      therapy: z.string(),
      change: z.enum(['added', 'removed', 'changed']),
      before: z.number().nullable(),
      after: z.number().nullable(),
    }))
    .describe('evidence that appeared, disappeared or changed its contribution to a top therapy'),
  classes: z
    .array(z.object({
      therapy: z.string(),
      before: z.object({ class: z.enum(THERAPY_CLASSES), tier: z.enum(ESCAT_TIERS) }),
      after: z.object({ class: z.enum(THERAPY_CLASSES), tier: z.enum(ESCAT_TIERS) }),
    }))
    .describe(
      'top therapies, ranked both times, whose class or ESCAT tier changed: with an evidence change listed above, or with none when a drug label (drugs.yaml `labelled`) or approval changed',
    ),
});
export type ReevaluationChange = z.infer<typeof ReevaluationChange>;

export const ReevaluationReport = z.object({
  kb: KbRef,
  checked: z.number().int(),
  unranked: z.array(z.string()).describe('open cases never ranked (nothing to compare)'),
  changed: z.array(ReevaluationChange),
});
export type ReevaluationReport = z.infer<typeof ReevaluationReport>;

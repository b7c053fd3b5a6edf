/**
 * The case workflow of a molecular tumour board (issue 6): a pseudonymous case
 * with its profiles over time, immutable ranking snapshots, board meetings,
 * decisions and follow-up. Strict zod schemas: unknown fields are rejected, so
 * no names, birth dates or record numbers can enter through these shapes.
 * Pure: no I/O, usable in the browser.
 */
import { z } from 'zod';
import { CASE_ID, ONCOTREE_CODE, type Profile } from './profile.ts';
import { RankResult, type TherapyClass, type EscatTier } from './result.ts';

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
  .regex(/^[A-Za-z][A-Za-z .-]{0,39}$/, 'an attendee is a role label or initials (at most 40 letters)');
const Text = (max: number) => z.string().trim().min(1).max(max);
export const EvidenceId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'evidence ids are the knowledge-base ids');

// ---- records (what the store holds) ----

export interface ProfileRecord {
  caseId: string;
  /** 1, 2, ... in the order samples were added. */
  seq: number;
  sample: string | null;
  /** The sampling date, if the lab gave one (not identifying). */
  collectedOn: string | null;
  createdAt: string;
  /** Normalised profile, as ranked. */
  profile: Profile;
  /** Canonical alteration keys, for similar-case search. */
  alterationKeys: string[];
}

export interface CaseRecord {
  id: string;
  tumourType: string | null;
  status: CaseStatus;
  createdAt: string;
  updatedAt: string;
}

export interface CaseDetail extends CaseRecord {
  profiles: ProfileRecord[];
}

export interface Snapshot {
  id: string;
  caseId: string;
  profileSeq: number;
  createdAt: string;
  kb: { name: string; version: string; hash: string };
  scoring: { version: string; agency: string };
  /** Therapy ids of the ranking in order (the top is first). */
  top: string[];
  result: RankResult;
}

export interface Meeting {
  id: string;
  date: string;
  board: string;
  attendees: string[];
  /** Case ids, in agenda order. */
  agenda: string[];
  createdAt: string;
}

export interface Decision {
  id: string;
  caseId: string;
  meetingId: string;
  /** The ranking the board looked at. */
  snapshotId: string | null;
  therapy: string[];
  therapyId: string;
  /** 1-based rank of the chosen therapy in the snapshot; null when it was not ranked. */
  rank: number | null;
  topTherapyId: string | null;
  followedTopRank: boolean;
  /** Class and tier of the chosen therapy in the snapshot, when it was ranked. */
  class: TherapyClass | null;
  tier: EscatTier | null;
  rationale: string;
  evidenceCited: string[];
  alternatives: string[][];
  dissent: string | null;
  recordedBy: string;
  recordedAt: string;
}

export interface FollowUp {
  id: string;
  caseId: string;
  decisionId: string;
  started: boolean;
  reasonNotStarted: string | null;
  startedOn: string | null;
  bestResponse: Recist | null;
  progressionDate: string | null;
  recordedBy: string;
  recordedAt: string;
}

// ---- inputs (the boundary: strict, nothing identifying) ----

/** A profile sent to a case: readers' text (any supported format) or a DESIGN §5 JSON profile. */
export const ProfileSubmission = z.strictObject({
  text: z.string().min(1, 'text is empty').max(10_000_000).optional(),
  format: z.string().optional(),
  profile: z.record(z.string(), z.unknown()).optional(),
  sample: SampleLabel.optional(),
  collectedOn: IsoDate.optional(),
}).refine((p) => (p.text === undefined) !== (p.profile === undefined), {
  message: 'send the profile either as text (with an optional format) or as a JSON profile, not both',
  path: ['text'],
});
export type ProfileSubmission = z.infer<typeof ProfileSubmission>;

export const NewCaseInput = z.strictObject({
  id: CaseId,
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

export interface OutcomeCounts {
  decisions: number;
  followedTopRank: number;
  responses: Record<Recist | 'none', number>;
}

export interface OutcomeSummary {
  cases: number;
  decisions: number;
  followedTopRank: number;
  /** followedTopRank / decisions, or null with no decisions. */
  followedTopRankRate: number | null;
  byTherapy: Array<{ therapy: string } & OutcomeCounts>;
  byClass: Record<string, OutcomeCounts>;
  byTier: Record<string, OutcomeCounts>;
}

export interface SimilarCase {
  caseId: string;
  tumourType: string | null;
  status: CaseStatus;
  createdAt: string;
  shared: string[];
  decisions: Decision[];
  followUps: FollowUp[];
}

export interface ReevaluationChange {
  caseId: string;
  status: CaseStatus;
  previous: { snapshotId: string; kb: Snapshot['kb']; top: string[] };
  current: { kb: Snapshot['kb']; top: string[]; snapshotId: string | null };
  /** Evidence that appeared, disappeared or changed its contribution to a top therapy. */
  evidence: Array<{ id: string; therapy: string; change: 'added' | 'removed' | 'changed'; before: number | null; after: number | null }>;
}

export interface ReevaluationReport {
  kb: Snapshot['kb'];
  checked: number;
  /** Open cases never ranked (nothing to compare). */
  unranked: string[];
  changed: ReevaluationChange[];
}

export { RankResult };

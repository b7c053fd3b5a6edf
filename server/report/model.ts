/**
 * The report model (issue 8): everything a case report says, built once from a
 * ranking and what the board recorded, and rendered by every format (HTML, PDF,
 * FHIR, CSV). Pure and deterministic: the date comes from the snapshot (or an
 * explicit date), never from the clock, so the same case, knowledge base and
 * scoring version always give the same report.
 */
import { labelledText } from '../domain/label-text.ts';
import type { Decision, FollowUp, Meeting } from '../domain/case.ts';
import type { Alteration } from '../domain/alteration.ts';
import type { Profile } from '../domain/profile.ts';
import type { EvidenceContribution, RankResult, RankedTherapy } from '../domain/result.ts';
import { explainProfile } from '../scoring/explain.ts';
import { networkSvg } from './network-svg.ts';

export const REPORT_FORMATS = ['html', 'pdf', 'fhir', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const DISCLAIMER =
  'This report was generated automatically by mtbnet from the molecular profile, the knowledge base and the scoring version named in it. ' +
  'It supports, and does not replace, the clinical judgement of the treating physicians and the molecular tumour board. ' +
  'Therapy classes, tiers and scores summarise published evidence; they are not a prescription. ' +
  'Off-label and investigational options may not be permitted or reimbursed in every country.';

export const DEFAULTS = {
  /** Therapies drawn in the network (the top of the ranking). */
  networkTop: 5,
  /** Therapies whose evidence is listed in full (statements); the rest are listed with their citations only. */
  detailTop: 10,
  /** Seed of the network layout (the client's default, so the drawing matches the screen). */
  seed: 1,
  networkWidth: 1000,
};
export type ReportOptions = Partial<typeof DEFAULTS>;

export interface ReportAlteration {
  key: string;
  label: string;
  kind: string;
  gene: string;
  driver: string;
  matched: string[];
  /** From the profile when it was given: protein change (one-letter, with p.), fusion partner, exon, VAF, origin, transcript, signature value. */
  change?: string;
  partner?: string;
  exon?: number;
  vaf?: number;
  origin?: 'somatic' | 'germline';
  transcript?: string;
  value?: string | number;
}

export interface ReportTherapy extends RankedTherapy {
  rank: number;
  label: string;
  /** Whether the report lists this therapy's evidence statements in full. */
  detailed: boolean;
  /** Why it is on-label when its labels are the reason (labelledText, tumour types named): HTML, PDF and FHIR say it. */
  labelText?: string;
}

export interface ReportDecision {
  therapy: string[];
  therapyId: string;
  label: string;
  rank: number | null;
  topTherapyId: string | null;
  followedTopRank: boolean;
  class: string | null;
  tier: string | null;
  rationale: string;
  evidenceCited: string[];
  alternatives: string[][];
  dissent: string | null;
  recordedBy: string;
  recordedAt: string;
  meeting: { id: string; date: string; board: string } | null;
  /** Set when the decision was recorded against another ranking than the one in this report. */
  snapshotId: string | null;
  followUp: {
    started: boolean;
    reasonNotStarted: string | null;
    startedOn: string | null;
    bestResponse: string | null;
    progressionDate: string | null;
    recordedAt: string;
  } | null;
}

export interface ReportModel {
  caseId: string;
  tumourType: { code: string | null; name: string | null };
  /** ISO 8601 date-time (or date) of the ranking: the snapshot's creation time or an explicit date. */
  date: string;
  /** Case status when the report was built, if it comes from the case store. */
  status: string | null;
  sample: { seq: number | null; label: string | null; collectedOn: string | null };
  snapshotId: string | null;
  kb: { name: string; version: string; hash: string };
  scoring: { version: string; agency: string };
  alterations: ReportAlteration[];
  therapies: ReportTherapy[];
  network: { therapies: string[]; nodes: number; links: number; svg: string };
  decision: ReportDecision | null;
  warnings: string[];
  notes: string[];
  disclaimer: string;
  generator: { name: 'mtbnet'; version: string };
}

export interface ReportInput {
  result: RankResult;
  /** The ranked profile, for VAF, origin and transcripts (the result has keys and labels only). */
  profile?: Profile;
  /** Explicit date; by default the snapshot's creation time. One of the two is required. */
  date?: string;
  snapshot?: { id: string; createdAt: string };
  caseRecord?: { id: string; tumourType: string | null; status: string };
  sample?: { seq: number; sample: string | null; collectedOn: string | null };
  /** The board's decision (the latest one is reported), its meeting and the follow-up recorded for it. */
  decision?: Decision;
  meeting?: Meeting;
  followUp?: FollowUp;
  /** OncoTree name of the tumour type (from the knowledge base). */
  tumourName?: string | null;
  /** OncoTree name of any tumour type of the knowledge base (the labelled types a therapy's label names). */
  tumourNames?: (code: string) => string | null | undefined;
  /** Extra notes shown under the provenance (e.g. "ranked for this report, not stored"). */
  notes?: string[];
  generatorVersion?: string;
}

export class ReportError extends Error {
  constructor(message: string) {
    super(`report: ${message}`);
    this.name = 'ReportError';
  }
}

const therapyLabel = (drugs: readonly string[]) => drugs.join(' + ');

function alterationDetails(a: Alteration | undefined): Partial<ReportAlteration> {
  if (!a) return {};
  const d: Partial<ReportAlteration> = {};
  if (a.protein) d.change = `p.${a.protein.canonical}`;
  if (a.partner) d.partner = a.partner;
  if (a.exon !== undefined) d.exon = a.exon;
  if (a.vaf !== undefined) d.vaf = a.vaf;
  if (a.origin) d.origin = a.origin;
  if (a.transcript) d.transcript = a.transcript;
  if (a.value !== undefined) d.value = a.value;
  return d;
}

/** Evidence of a therapy in report order: strongest contribution first, then id (stable). */
export function orderedEvidence(t: RankedTherapy): EvidenceContribution[] {
  return [...t.evidence].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.id.localeCompare(b.id));
}

/** Build the report model. Throws ReportError when no date is known (reports never use the clock). */
export function buildReportModel(input: ReportInput, options: ReportOptions = {}): ReportModel {
  const { networkTop, detailTop, seed, networkWidth } = { ...DEFAULTS, ...options };
  const { result } = input;
  const date = input.date ?? input.snapshot?.createdAt;
  if (!date) throw new ReportError(`no date for the report of ${result.id}: give the snapshot or an explicit date`);

  const byKey = new Map((input.profile?.alterations ?? []).map((a) => [a.key, a]));
  const alterations: ReportAlteration[] = result.alterations.map((a) => ({
    key: a.key,
    label: a.label,
    kind: a.kind,
    gene: a.gene,
    driver: a.driver,
    matched: [...a.matched],
    ...alterationDetails(byKey.get(a.key)),
  }));

  const decided = input.decision?.therapyId;
  const therapies: ReportTherapy[] = result.therapies.map((t, i) => ({
    ...t,
    evidence: orderedEvidence(t),
    rank: i + 1,
    label: therapyLabel(t.drugs),
    detailed: i < detailTop || t.id === decided || t.class === 'not-recommended',
    ...(t.labelled ? { labelText: labelledText(t.labelled, (code) => input.tumourNames?.(code) ?? (code === result.tumourType ? input.tumourName : undefined)) } : {}),
  }));

  const top = result.therapies.slice(0, networkTop);
  const explanation = explainProfile(result, { limit: networkTop });
  const svg = networkSvg(explanation, { seed, width: networkWidth, title: `Evidence network of the top ${top.length} therapies for ${result.id}` });

  let decision: ReportDecision | null = null;
  if (input.decision) {
    const d = input.decision;
    const f = input.followUp && input.followUp.decisionId === d.id ? input.followUp : undefined;
    decision = {
      therapy: [...d.therapy],
      therapyId: d.therapyId,
      label: therapyLabel(d.therapy),
      rank: d.rank,
      topTherapyId: d.topTherapyId,
      followedTopRank: d.followedTopRank,
      class: d.class,
      tier: d.tier,
      rationale: d.rationale,
      evidenceCited: [...d.evidenceCited],
      alternatives: d.alternatives.map((a) => [...a]),
      dissent: d.dissent,
      recordedBy: d.recordedBy,
      recordedAt: d.recordedAt,
      meeting: input.meeting ? { id: input.meeting.id, date: input.meeting.date, board: input.meeting.board } : null,
      snapshotId: d.snapshotId,
      followUp: f
        ? {
            started: f.started,
            reasonNotStarted: f.reasonNotStarted,
            startedOn: f.startedOn,
            bestResponse: f.bestResponse,
            progressionDate: f.progressionDate,
            recordedAt: f.recordedAt,
          }
        : null,
    };
  }

  const notes = [...(input.notes ?? [])];
  if (decision?.snapshotId && input.snapshot && decision.snapshotId !== input.snapshot.id) {
    notes.push(`The decision was recorded against an earlier ranking (snapshot ${decision.snapshotId}); ranks and classes in the decision refer to that ranking.`);
  }

  return {
    caseId: input.caseRecord?.id ?? result.id,
    tumourType: { code: input.caseRecord?.tumourType ?? result.tumourType, name: input.tumourName ?? null },
    date,
    status: input.caseRecord?.status ?? null,
    sample: { seq: input.sample?.seq ?? null, label: input.sample?.sample ?? null, collectedOn: input.sample?.collectedOn ?? null },
    snapshotId: input.snapshot?.id ?? null,
    kb: { ...result.kb },
    scoring: { version: result.scoring.version, agency: result.scoring.agency },
    alterations,
    therapies,
    network: { therapies: top.map((t) => t.id), nodes: explanation.nodes.length, links: explanation.links.length, svg },
    decision,
    warnings: [...result.warnings],
    notes,
    disclaimer: DISCLAIMER,
    generator: { name: 'mtbnet', version: input.generatorVersion ?? '0.1.0' },
  };
}

/** A citation as text and, where one exists, a link (PubMed, ClinicalTrials.gov, the URL given). */
export function citation(s: Record<string, string | undefined>): { text: string; url?: string } {
  if (s.pmid) return { text: `PMID ${s.pmid}`, url: `https://pubmed.ncbi.nlm.nih.gov/${s.pmid}/` };
  if (s.nct) return { text: s.nct, url: `https://clinicaltrials.gov/study/${s.nct}` };
  if (s.label) return { text: `${s.label} label${s.note ? ` (${s.note})` : ''}` };
  if (s.url) return { text: s.url, url: s.url };
  return { text: JSON.stringify(s) };
}

/** Every distinct citation of a therapy, in evidence order. */
export function therapyCitations(t: RankedTherapy): string[] {
  const seen = new Set<string>();
  for (const e of t.evidence) for (const s of e.sources) seen.add(citation(s as Record<string, string>).text);
  return [...seen];
}

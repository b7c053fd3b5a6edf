/**
 * The report use cases: the report model of a stored case (its latest ranking
 * snapshot, or the one named; the board's latest decision with its meeting and
 * follow-up), and of a profile read from a file (ranked now, dated explicitly).
 * A case never ranked is ranked for the report (not stored) and dated by its
 * profile, so the report is still deterministic.
 */
import { readFileSync } from 'node:fs';
import { requireCase, rankProfile, type CaseContext } from '../cases/index.ts';
import { NotFoundError } from '../domain/errors.ts';
import { nodeKey } from '../domain/knowledge.ts';
import type { Agency } from '../domain/knowledge.ts';
import type { Profile } from '../domain/profile.ts';
import type { RankResult } from '../domain/result.ts';
import type { Engine } from '../engine.ts';
import { buildReportModel, type ReportModel, type ReportOptions } from './model.ts';

let version: string | undefined;
/** mtbnet's version from package.json (read once). */
export function generatorVersion(): string {
  if (version === undefined) {
    try {
      version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '0.0.0';
    } catch {
      version = '0.0.0';
    }
  }
  return version;
}

/** OncoTree name of a tumour type in the loaded knowledge base, or null. */
export function tumourName(engine: Engine, code: string | null | undefined): string | null {
  if (!code) return null;
  const key = nodeKey.tumour(code);
  const g = engine.kb.graph;
  return g.hasNode(key) ? ((g.getNodeAttributes(key) as { name?: string }).name ?? null) : null;
}

export interface CaseReportOptions extends ReportOptions {
  /** Report this snapshot rather than the latest one. */
  snapshotId?: string;
}

export async function caseReport(ctx: CaseContext, caseId: string, options: CaseReportOptions = {}): Promise<ReportModel> {
  const { snapshotId, ...reportOptions } = options;
  const c = await requireCase(ctx, caseId);
  const snapshots = await ctx.store.listSnapshots(c.id);
  const snapshot = snapshotId ? snapshots.find((s) => s.id === snapshotId) : snapshots[0];
  if (snapshotId && !snapshot) throw new NotFoundError(`report: no snapshot "${snapshotId}" for case "${c.id}"`, [{ path: 'snapshot', message: 'unknown snapshot id' }]);

  const notes: string[] = [];
  let result: RankResult;
  let date: string;
  let seq: number;
  if (snapshot) {
    result = snapshot.result;
    date = snapshot.createdAt;
    seq = snapshot.profileSeq;
  } else {
    const latest = c.profiles[c.profiles.length - 1]!;
    result = await rankProfile(ctx, latest.profile);
    date = latest.createdAt;
    seq = latest.seq;
    notes.push('The case has not been ranked yet: this report ranks its latest profile with the current knowledge base, and the ranking is not stored. The date is the date the profile was added.');
  }
  const record = c.profiles.find((p) => p.seq === seq);

  const decisions = await ctx.store.listDecisions({ caseId: c.id });
  const decision = decisions[decisions.length - 1];
  const meeting = decision ? await ctx.store.getMeeting(decision.meetingId) : undefined;
  const followUps = decision ? (await ctx.store.listFollowUps({ caseId: c.id })).filter((f) => f.decisionId === decision.id) : [];

  return buildReportModel(
    {
      result,
      profile: record?.profile,
      date: snapshot ? undefined : date,
      snapshot: snapshot ? { id: snapshot.id, createdAt: snapshot.createdAt } : undefined,
      caseRecord: { id: c.id, tumourType: c.tumourType, status: c.status },
      sample: record ? { seq: record.seq, sample: record.sample, collectedOn: record.collectedOn } : undefined,
      decision,
      meeting,
      followUp: followUps[followUps.length - 1],
      tumourName: tumourName(ctx.engine, c.tumourType ?? result.tumourType),
      tumourNames: (code) => tumourName(ctx.engine, code),
      notes,
      generatorVersion: generatorVersion(),
    },
    reportOptions,
  );
}

export interface ProfileReportOptions extends ReportOptions {
  /** The report's date (ISO 8601); reports never use the clock. */
  date: string;
  agency?: Agency;
  /** Warnings of the reader, shown with the ranking's own. */
  warnings?: string[];
  /** A result already ranked (batch workers); otherwise the profile is ranked here. */
  result?: RankResult;
}

/** The report of a profile that is not a stored case (a file, a batch line). */
export function profileReport(engine: Engine, profile: Profile, options: ProfileReportOptions): ReportModel {
  const { date, agency, warnings = [], result: given, ...reportOptions } = options;
  const ranked = given ?? engine.rank(profile, { agency });
  const result = warnings.length ? { ...ranked, warnings: [...warnings, ...ranked.warnings] } : ranked;
  return buildReportModel(
    {
      result,
      profile,
      date,
      tumourName: tumourName(engine, result.tumourType),
      tumourNames: (code) => tumourName(engine, code),
      notes: ['Ranked from a profile file, not from a stored case: no board decision is attached.'],
      generatorVersion: generatorVersion(),
    },
    reportOptions,
  );
}

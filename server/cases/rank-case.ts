/**
 * Rank a case's latest profile with the current knowledge base and keep the
 * result as an immutable snapshot. A new case becomes prepared.
 */
import type { Snapshot } from '../domain/case.ts';
import type { Agency } from '../domain/knowledge.ts';
import type { RankResult } from '../domain/result.ts';
import { ConflictError } from '../domain/errors.ts';
import { requireCase, type CaseContext } from './context.ts';
import { rankProfile } from './rank-profile.ts';

export function snapshotOf(ctx: CaseContext, caseId: string, profileSeq: number, result: RankResult): Snapshot {
  return {
    id: ctx.newId(),
    caseId,
    profileSeq,
    createdAt: ctx.now(),
    kb: result.kb,
    scoring: { version: result.scoring.version, agency: result.scoring.agency },
    top: result.therapies.map((t) => t.id),
    result,
  };
}

export async function rankCase(ctx: CaseContext, caseId: string, options: { agency?: Agency } = {}): Promise<Snapshot> {
  const c = await requireCase(ctx, caseId);
  if (c.status === 'follow-up') throw new ConflictError(`cases: case "${caseId}" is in follow-up; re-ranking it would change nothing the board decided`);
  const latest = c.profiles[c.profiles.length - 1]!;
  const result = await rankProfile(ctx, latest.profile, options);
  const snapshot = snapshotOf(ctx, caseId, latest.seq, result);
  await ctx.store.addSnapshot(snapshot, c.status === 'new' ? { from: 'new', to: 'prepared', at: snapshot.createdAt } : undefined);
  return snapshot;
}

/**
 * Similar cases: earlier cases whose profiles share an alteration (same
 * canonical key: gene and change) with this one, with what the board decided
 * for them and how it went. Most shared alterations first, then newest.
 */
import type { SimilarCase } from '../domain/case.ts';
import { requireCase, type CaseContext } from './context.ts';

export async function similarCases(ctx: CaseContext, caseId: string): Promise<SimilarCase[]> {
  const c = await requireCase(ctx, caseId);
  const keys = [...new Set(c.profiles.flatMap((p) => p.alterationKeys))];
  const hits = await ctx.store.findByAlterations(keys, c.id);
  const similar: SimilarCase[] = [];
  for (const hit of hits) {
    const other = await ctx.store.getCase(hit.caseId);
    if (!other || other.createdAt > c.createdAt) continue; // earlier cases only
    similar.push({
      caseId: other.id,
      tumourType: other.tumourType,
      status: other.status,
      createdAt: other.createdAt,
      shared: hit.keys,
      decisions: await ctx.store.listDecisions({ caseId: other.id }),
      followUps: await ctx.store.listFollowUps({ caseId: other.id }),
    });
  }
  return similar.sort((a, b) => b.shared.length - a.shared.length || (a.createdAt > b.createdAt ? -1 : a.createdAt < b.createdAt ? 1 : 0));
}

/**
 * Rank one profile for a case: on the store's evidence subgraph when the store
 * holds the evidence graph (Neo4j), otherwise on the engine's in-memory graph.
 * Either way the same scoring core and the engine's scoring options.
 */
import type { Agency } from '../domain/knowledge.ts';
import type { Profile } from '../domain/profile.ts';
import type { RankResult } from '../domain/result.ts';
import { rankTherapies } from '../scoring/index.ts';
import type { CaseContext } from './context.ts';

export async function rankProfile(ctx: CaseContext, profile: Profile, options: { agency?: Agency } = {}): Promise<RankResult> {
  if (!ctx.store.scoringGraph) return ctx.engine.rank(profile, options);
  const graph = await ctx.store.scoringGraph(profile);
  return rankTherapies(graph, profile, { ...ctx.engine.scoring, ...(options.agency ? { agency: options.agency } : {}) });
}

/**
 * The outcome summary across cases: how often the board followed the top rank,
 * and the best responses by chosen therapy, by its class and by its tier. Each
 * decision counts once, with the best response of its latest follow-up.
 */
import { RECIST, type Decision, type FollowUp, type OutcomeCounts, type OutcomeSummary } from '../domain/case.ts';
import type { CaseContext } from './context.ts';

const empty = (): OutcomeCounts => ({
  decisions: 0,
  followedTopRank: 0,
  responses: Object.fromEntries([...RECIST, 'none'].map((r) => [r, 0])) as OutcomeCounts['responses'],
});

export function summariseOutcomes(decisions: readonly Decision[], followUps: readonly FollowUp[]): OutcomeSummary {
  const latest = new Map<string, FollowUp>();
  for (const f of followUps) latest.set(f.decisionId, f); // listed oldest first: the last one wins
  const byTherapy = new Map<string, OutcomeCounts>();
  const byClass: Record<string, OutcomeCounts> = {};
  const byTier: Record<string, OutcomeCounts> = {};
  const add = (c: OutcomeCounts, d: Decision) => {
    c.decisions++;
    if (d.followedTopRank) c.followedTopRank++;
    c.responses[latest.get(d.id)?.bestResponse ?? 'none']++;
  };
  for (const d of decisions) {
    add(byTherapy.get(d.therapyId) ?? byTherapy.set(d.therapyId, empty()).get(d.therapyId)!, d);
    add((byClass[d.class ?? 'not-ranked'] ??= empty()), d);
    add((byTier[d.tier ?? 'not-ranked'] ??= empty()), d);
  }
  const followed = decisions.filter((d) => d.followedTopRank).length;
  return {
    cases: new Set(decisions.map((d) => d.caseId)).size,
    decisions: decisions.length,
    followedTopRank: followed,
    followedTopRankRate: decisions.length ? followed / decisions.length : null,
    byTherapy: [...byTherapy].map(([therapy, c]) => ({ therapy, ...c })).sort((a, b) => b.decisions - a.decisions || (a.therapy < b.therapy ? -1 : 1)),
    byClass,
    byTier,
  };
}

export async function outcomeSummary(ctx: CaseContext): Promise<OutcomeSummary> {
  const [decisions, followUps] = await Promise.all([ctx.store.listDecisions(), ctx.store.listFollowUps()]);
  return summariseOutcomes(decisions, followUps);
}

/**
 * Re-evaluation after the knowledge base changed: re-rank every open case's
 * latest profile with the current engine, compare its top therapies with the
 * latest snapshot, and list the cases whose top therapies changed, with the
 * evidence that made the difference and the top therapies whose class or tier
 * changed (a curated drug label changes a class with no evidence). With `save`, the new ranking of each
 * changed case is stored as a new snapshot (the old one stays, immutable).
 */
import { OPEN_STATUSES, type ReevaluationChange, type ReevaluationReport } from '../domain/case.ts';
import type { RankResult } from '../domain/result.ts';
import type { CaseContext } from './context.ts';
import { snapshotOf } from './rank-case.ts';
import { rankProfile } from './rank-profile.ts';

export const DEFAULT_TOP = 3;

/** The top of a ranking: the first n therapy ids with a positive score, with class and tier. */
export function topOf(result: RankResult, n = DEFAULT_TOP): string[] {
  return result.therapies.filter((t) => t.score > 0).slice(0, n).map((t) => `${t.id} [${t.class}, ${t.tier}]`);
}

/** Evidence contributions to the therapies in either top list that differ between two rankings. */
export function evidenceDiff(before: RankResult, after: RankResult, therapies: Set<string>): ReevaluationChange['evidence'] {
  const contributions = (r: RankResult) => {
    const m = new Map<string, number>();
    for (const t of r.therapies) if (therapies.has(t.id)) for (const e of t.evidence) m.set(`${t.id}\u0000${e.id}`, (m.get(`${t.id}\u0000${e.id}`) ?? 0) + e.contribution);
    return m;
  };
  const a = contributions(before);
  const b = contributions(after);
  const out: ReevaluationChange['evidence'] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const [therapy, id] = key.split('\u0000') as [string, string];
    const x = a.get(key);
    const y = b.get(key);
    if (x !== undefined && y !== undefined && Math.abs(x - y) < 1e-9) continue;
    out.push({ id, therapy, change: x === undefined ? 'added' : y === undefined ? 'removed' : 'changed', before: x ?? null, after: y ?? null });
  }
  return out;
}

/**
 * The therapies (of those given) ranked in both rankings whose class or tier changed. With no evidence change, a
 * curated drug label or approval moved them: without this list the case would show as changed with nothing to say why.
 */
export function classDiff(before: RankResult, after: RankResult, therapies: Set<string>): ReevaluationChange['classes'] {
  const now = new Map(after.therapies.map((t) => [t.id, t]));
  const out: ReevaluationChange['classes'] = [];
  for (const b of before.therapies) {
    const a = now.get(b.id);
    if (!therapies.has(b.id) || a === undefined || (a.class === b.class && a.tier === b.tier)) continue;
    out.push({ therapy: b.id, before: { class: b.class, tier: b.tier }, after: { class: a.class, tier: a.tier } });
  }
  return out.sort((x, y) => (x.therapy < y.therapy ? -1 : x.therapy > y.therapy ? 1 : 0));
}

export async function reevaluate(ctx: CaseContext, options: { save?: boolean; top?: number } = {}): Promise<ReevaluationReport> {
  const n = options.top ?? DEFAULT_TOP;
  const open = await ctx.store.listCases({ status: OPEN_STATUSES });
  const info = ctx.engine.kb.graph.getAttributes();
  const report: ReevaluationReport = { kb: { name: info.name, version: info.version, hash: info.hash }, checked: 0, unranked: [], changed: [] };
  for (const c of open) {
    const [previous] = await ctx.store.listSnapshots(c.id);
    if (!previous) {
      report.unranked.push(c.id);
      continue;
    }
    const detail = (await ctx.store.getCase(c.id))!;
    const profile = detail.profiles.find((p) => p.seq === previous.profileSeq) ?? detail.profiles[detail.profiles.length - 1]!;
    report.checked++;
    const result = await rankProfile(ctx, profile.profile, { agency: previous.scoring.agency as 'FDA' | 'EMA' });
    report.kb = result.kb; // the knowledge base that actually ranked (in memory or in Neo4j)
    const before = topOf(previous.result, n);
    const after = topOf(result, n);
    if (before.length === after.length && before.every((t, i) => t === after[i])) continue;
    const therapyIds = new Set([...previous.result.therapies.slice(0, n), ...result.therapies.slice(0, n)].map((t) => t.id));
    let snapshotId: string | null = null;
    if (options.save) {
      const s = snapshotOf(ctx, c.id, profile.seq, result);
      await ctx.store.addSnapshot(s);
      snapshotId = s.id;
    }
    report.changed.push({
      caseId: c.id,
      status: c.status,
      previous: { snapshotId: previous.id, kb: previous.kb, top: before },
      current: { kb: result.kb, top: after, snapshotId },
      evidence: evidenceDiff(previous.result, result, therapyIds),
      classes: classDiff(previous.result, result, therapyIds),
    });
  }
  return report;
}

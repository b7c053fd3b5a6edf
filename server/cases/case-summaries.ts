/**
 * The case list: one page of case summaries (latest profile's alterations, top
 * of the latest ranking), most recently updated first, searched by case ID,
 * tumour type, gene or alteration. One store read, however many cases.
 */
import type { CaseStatus, CaseSummary, CaseSummaryPage } from '../domain/case.ts';
import type { CaseContext } from './context.ts';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 500;

export interface CaseSummaryQuery {
  /** Words that must all occur (case-insensitively, as substrings) in the case ID, tumour type, or a gene, label or key of the latest profile. */
  q?: string;
  status?: readonly CaseStatus[];
  /** Only these cases (a meeting's agenda), whatever their age. */
  ids?: readonly string[];
  limit?: number;
  offset?: number;
}

/** Does a case match a search: every word in its ID, tumour type, or a gene / alteration of its latest profile. */
export function matchesSearch(c: CaseSummary, query: string | undefined): boolean {
  const terms = (query ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return true;
  const words = [c.id, c.tumourType ?? '', ...c.alterations.flatMap((a) => [a.gene, a.label, a.key])].map((w) => w.toLowerCase());
  return terms.every((term) => words.some((w) => w.includes(term)));
}

export async function listCaseSummaries(ctx: CaseContext, query: CaseSummaryQuery = {}): Promise<CaseSummaryPage> {
  const limit = Math.min(query.limit ?? DEFAULT_PAGE, MAX_PAGE);
  const offset = query.offset ?? 0;
  const all = await ctx.store.listCaseSummaries({ status: query.status, ids: query.ids });
  const found = all.filter((c) => matchesSearch(c, query.q));
  return { cases: found.slice(offset, offset + limit), total: found.length, limit, offset };
}

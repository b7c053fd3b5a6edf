/**
 * The case list: one page of case summaries (latest profile's alterations, top
 * of the latest ranking), most recently updated first, searched by case ID,
 * tumour type, gene or alteration. One store read, however many cases; the store
 * searches and pages (store/summary-search.ts).
 */
import type { CaseStatus, CaseSummary, CaseSummaryPage } from '../domain/case.ts';
import { matchesTerms, searchTerms } from '../store/summary-search.ts';
import type { CaseContext } from './context.ts';
import { isTableResolver } from '../profile/genes.ts';

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
export const matchesSearch = (c: CaseSummary, query: string | undefined) => matchesTerms(c, searchTerms(query));

export async function listCaseSummaries(ctx: CaseContext, query: CaseSummaryQuery = {}): Promise<CaseSummaryPage> {
  const limit = Math.min(query.limit ?? DEFAULT_PAGE, MAX_PAGE);
  const offset = query.offset ?? 0;
  // The store searches and pages (SQLite in SQL, from a search text stored with each profile): the list costs one
  // page, not every case (at 10,000 cases, reading them all took about 300 ms a request).
  return ctx.store.pageCaseSummaries({ status: query.status, ids: query.ids, terms: withGeneSymbols(ctx, searchTerms(query.q)), limit, offset });
}

/**
 * A word that is a gene's alias or previous symbol (HER2, PD-L1) also finds the gene's current symbol, which is what
 * the stored alterations hold: the intake reads `HER2 amp` as ERBB2, and the search must find it the same way.
 */
function withGeneSymbols(ctx: CaseContext, terms: string[]): Array<string | string[]> {
  const genes = ctx.engine.genes;
  if (!isTableResolver(genes)) return terms;
  return terms.map((t) => {
    const r = genes.lookup(t);
    const symbol = r.symbol.toLowerCase();
    return (r.via === 'alias' || r.via === 'previous' || r.via === 'extra') && symbol !== t ? [t, symbol] : t;
  });
}

/**
 * Searching and paging case summaries: what the case list asks of a store (CaseStore.pageCaseSummaries). A search is
 * words that must all occur, case-insensitively and as substrings, in the case ID, the tumour type, or a gene, label
 * or key of the latest profile. The SQLite store answers it in SQL from a stored search text (the alterations' part
 * made here, by alterationSearchText); any store can answer it from its summaries with pageInMemory. Both give the
 * same page: the contract suite (test/contract) holds them to it.
 */
import type { CaseSummary, CaseSummaryPage } from '../domain/case.ts';
import type { Profile } from '../domain/profile.ts';
import type { CaseSummaryFilter } from './types.ts';

export interface CaseSummaryPageQuery extends CaseSummaryFilter {
  /**
   * Lower-case words, none holding white space (searchTerms); every term must be found. A term given as a list is
   * found when any of its words is (a gene alias and its symbol: `her2` or `erbb2`).
   */
  terms: ReadonlyArray<string | readonly string[]>;
  limit: number;
  offset: number;
}

/** The words of a search, lower case. */
export const searchTerms = (query: string | undefined): string[] => (query ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean);

/** A summary's alterations, from a profile, in profile order. */
export function summaryAlterationsOf(profile: Pick<Profile, 'alterations'>): CaseSummary['alterations'] {
  const out: CaseSummary['alterations'] = [];
  // A stored profile always has its list; one without (hand-written into the database) summarises as empty, so that
  // neither the case list nor the migration that fills summaries in (sqlite/migrations.ts) fails on it.
  for (const a of profile.alterations ?? []) out.push({ key: a.key, label: a.label, gene: a.gene });
  return out;
}

/**
 * The searchable words of a profile's alterations, lower case, one per line: a term (which holds no white space)
 * occurs in the text exactly when it occurs in one of the words.
 */
export function alterationSearchText(alterations: CaseSummary['alterations']): string {
  // A plain loop: it runs for every case on every search in memory (flatMap was 5x slower at 10,000 cases).
  let text = '';
  for (const a of alterations) text += `\n${a.gene}\n${a.label}\n${a.key}`;
  return text.toLowerCase();
}

/** The whole searchable text of a summary: its ID and tumour type, then its alterations' words. */
export function summarySearchText(c: CaseSummary): string {
  return `${c.id}\n${c.tumourType ?? ''}`.toLowerCase() + alterationSearchText(c.alterations);
}

/** Every term as its list of alternatives. */
export const termAlternatives = (terms: CaseSummaryPageQuery['terms']): string[][] => terms.map((t) => (typeof t === 'string' ? [t] : [...t]));

/** Does a summary hold every term (one of its alternatives)? */
export function matchesTerms(c: CaseSummary, terms: CaseSummaryPageQuery['terms']): boolean {
  if (terms.length === 0) return true;
  const text = summarySearchText(c);
  return terms.every((t) => (typeof t === 'string' ? text.includes(t) : t.some((a) => text.includes(a))));
}

/** One page of summaries already filtered by status and ids and in list order (most recently updated first). */
export function pageInMemory(all: readonly CaseSummary[], query: CaseSummaryPageQuery): CaseSummaryPage {
  const found = all.filter((c) => matchesTerms(c, query.terms));
  return { cases: found.slice(query.offset, query.offset + query.limit), total: found.length, limit: query.limit, offset: query.offset };
}

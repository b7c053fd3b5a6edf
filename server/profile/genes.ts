/**
 * Gene symbols: resolves aliases and previous symbols to the current HGNC
 * symbol (`HER2` -> ERBB2, `MLL` -> KMT2A, `C10orf54` -> VSIR) from the table
 * shipped in gene-symbols.json (the genes a cancer panel reports), plus any
 * aliases given at run time (the knowledge base's gene files).
 *
 * Precedence, as HGNC's multi-symbol checker applies it: a current symbol is
 * never re-mapped; then run-time aliases; then previous symbols; then aliases.
 * A symbol that is an alias of two genes (e.g. `MLL4`) is ambiguous and is
 * kept as given (or refused in strict mode).
 * Reference: HGNC guidelines, genenames.org/about/guidelines.
 */
import { InvalidInputError } from '../domain/errors.ts';
import type { GeneResolver } from '../domain/alteration.ts';
import table from './gene-symbols.json' with { type: 'json' };

export interface GeneTableEntry {
  aliases?: string[];
  previous?: string[];
}
export interface GeneTable {
  version: string;
  genes: Record<string, GeneTableEntry>;
}

export type LookupVia = 'current' | 'extra' | 'previous' | 'alias' | 'ambiguous' | 'unknown';

export interface GeneLookup {
  /** What was asked for, trimmed. */
  input: string;
  /** The current symbol; for unknown / ambiguous symbols, the input upper-cased. */
  symbol: string;
  via: LookupVia;
  /** For ambiguous symbols: the genes it could name. */
  candidates?: string[];
}

/** A GeneResolver that can also explain itself. */
export interface GeneTableResolver extends GeneResolver {
  lookup(symbol: string): GeneLookup;
  /** True when the symbol is a current symbol, alias or previous symbol we know. */
  has(symbol: string): boolean;
  readonly strict: boolean;
  /** Number of current symbols known. */
  readonly size: number;
}

/** Run-time aliases: `{HER2: 'ERBB2'}`, or gene records `[{symbol: 'EGFR', aliases: ['ERBB1']}]`. */
export type ExtraAliases =
  | Record<string, string>
  | Map<string, string>
  | Iterable<{ symbol: string; aliases?: readonly string[] }>;

export interface GeneResolverOptions {
  /** Refuse symbols that are neither current, alias nor previous (InvalidInputError). Default false. */
  strict?: boolean;
  /** Use this table instead of the shipped one (tests). */
  table?: GeneTable;
}

export const SHIPPED_GENE_TABLE = table as GeneTable;

const key = (s: string) => s.trim().toUpperCase();

/**
 * Create a resolver from the shipped table and optional run-time aliases.
 * Symbols listed in `extraAliases` records (the knowledge-base genes) count as
 * current symbols too.
 */
export function createGeneResolver(extraAliases?: ExtraAliases, options: GeneResolverOptions = {}): GeneTableResolver {
  const { strict = false, table: t = SHIPPED_GENE_TABLE } = options;
  const current = new Map<string, string>();
  const previous = new Map<string, Set<string>>();
  const aliases = new Map<string, Set<string>>();
  const extra = new Map<string, string>();
  const extraAll = new Map<string, Set<string>>();
  const addTo = (m: Map<string, Set<string>>, from: string, to: string) => {
    const k = key(from);
    if (k === '') return;
    let s = m.get(k);
    if (!s) m.set(k, (s = new Set()));
    s.add(to);
  };
  for (const [symbol, entry] of Object.entries(t.genes)) {
    current.set(key(symbol), symbol);
    for (const p of entry.previous ?? []) addTo(previous, p, symbol);
    for (const a of entry.aliases ?? []) addTo(aliases, a, symbol);
  }
  if (extraAliases) {
    const pairs: Array<[string, string]> = [];
    if (extraAliases instanceof Map) pairs.push(...extraAliases.entries());
    else if (Symbol.iterator in Object(extraAliases)) {
      for (const g of extraAliases as Iterable<{ symbol: string; aliases?: readonly string[] }>) {
        const sym = g.symbol.trim();
        if (!current.has(key(sym)) && !extra.has(key(sym))) current.set(key(sym), sym.toUpperCase());
        for (const a of g.aliases ?? []) pairs.push([a, sym]);
      }
    } else pairs.push(...Object.entries(extraAliases as Record<string, string>));
    for (const [alias, sym] of pairs) {
      const target = current.get(key(sym)) ?? sym.trim().toUpperCase();
      if (key(alias) === key(target)) continue;
      addTo(extraAll, alias, target);
      extra.set(key(alias), target);
    }
    // a run-time alias given for two genes is ambiguous, like a table alias
    for (const [k, targets] of extraAll) if (targets.size > 1) extra.delete(k);
  }

  const lookup = (symbol: string): GeneLookup => {
    const input = String(symbol).trim();
    const k = key(input);
    const cur = current.get(k);
    if (cur) return { input, symbol: cur, via: 'current' };
    const ex = extra.get(k);
    if (ex) return { input, symbol: ex, via: 'extra' };
    const exAmbiguous = extraAll.get(k);
    if (exAmbiguous && exAmbiguous.size > 1) return { input, symbol: k, via: 'ambiguous', candidates: [...exAmbiguous].sort() };
    for (const [m, via] of [
      [previous, 'previous'],
      [aliases, 'alias'],
    ] as const) {
      const hits = m.get(k);
      if (!hits) continue;
      if (hits.size === 1) return { input, symbol: [...hits][0]!, via };
      return { input, symbol: k, via: 'ambiguous', candidates: [...hits].sort() };
    }
    return { input, symbol: k, via: 'unknown' };
  };

  const resolve = ((symbol: string): string => {
    const r = lookup(symbol);
    if (strict && (r.via === 'unknown' || r.via === 'ambiguous')) {
      throw new InvalidInputError(`profile/genes: ${r.via === 'unknown' ? 'unknown' : 'ambiguous'} gene symbol "${r.input}"`, [
        {
          path: 'gene',
          message:
            r.via === 'unknown'
              ? `"${r.input}" is not a current HGNC symbol, alias or previous symbol known to mtbnet (check the spelling, e.g. ERBB2, KMT2A)`
              : `"${r.input}" is an alias of ${r.candidates!.join(' and ')}: write the current symbol`,
        },
      ]);
    }
    return r.symbol;
  }) as GeneTableResolver;
  Object.defineProperties(resolve, {
    lookup: { value: lookup },
    has: { value: (s: string) => { const v = lookup(s).via; return v !== 'unknown' && v !== 'ambiguous'; } },
    strict: { value: strict },
    size: { value: current.size },
  });
  return resolve;
}

export function isTableResolver(genes: GeneResolver): genes is GeneTableResolver {
  return typeof (genes as Partial<GeneTableResolver>).lookup === 'function';
}

/** True when `genes` knows the symbol (only table resolvers know; others answer undefined). */
export function knowsGene(genes: GeneResolver, symbol: string): boolean | undefined {
  return isTableResolver(genes) ? genes.has(symbol) : undefined;
}

/** A warning for a symbol that was re-mapped or is ambiguous, or undefined. */
export function describeLookup(genes: GeneResolver, symbol: string): string | undefined {
  if (!isTableResolver(genes)) return undefined;
  const r = genes.lookup(symbol);
  switch (r.via) {
    case 'previous':
      return `gene "${r.input}" read as ${r.symbol} (previous HGNC symbol)`;
    case 'alias':
    case 'extra':
      return `gene "${r.input}" read as ${r.symbol} (alias)`;
    case 'ambiguous':
      return `gene "${r.input}" is an alias of ${r.candidates!.join(' and ')}; kept as given: write the current symbol`;
    default:
      return undefined;
  }
}

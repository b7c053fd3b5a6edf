import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createGeneResolver, describeLookup, SHIPPED_GENE_TABLE } from '../../../server/profile/genes.ts';
import { InvalidInputError } from '../../../server/domain/errors.ts';

describe('gene symbols: aliases and previous symbols resolve to the current HGNC symbol', () => {
  const genes = createGeneResolver();
  it.each([
    ['HER2', 'ERBB2'],
    ['her2', 'ERBB2'],
    ['MLL', 'KMT2A'],
    ['C10orf54', 'VSIR'],
    ['C11orf30', 'EMSY'],
    ['FAM46C', 'TENT5C'],
    ['H3F3A', 'H3-3A'],
    ['HIST1H3B', 'H3C2'],
    ['PARK2', 'PRKN'],
    ['MRE11A', 'MRE11'],
    ['WHSC1', 'NSD2'],
    ['PD-L1', 'CD274'],
    ['LKB1', 'STK11'],
    ['EGFR', 'EGFR'],
    ['NKX2-1', 'NKX2-1'],
  ])('%s -> %s', (input, symbol) => {
    expect(genes(input)).toBe(symbol);
  });
  it('ships a table of several hundred genes', () => {
    expect(Object.keys(SHIPPED_GENE_TABLE.genes).length).toBeGreaterThan(300);
    expect(genes.size).toBeGreaterThan(300);
  });
  it('never re-maps a current symbol, even when another gene lists it as an alias', () => {
    // FLG (filaggrin) is a current symbol; it must not become FGFR1
    const custom = createGeneResolver(undefined, { table: { version: 't', genes: { FLG: {}, FGFR1: { aliases: ['FLG'] } } } });
    expect(custom('FLG')).toBe('FLG');
  });
  it('keeps ambiguous aliases as given and says why', () => {
    expect(genes.lookup('MLL4')).toMatchObject({ via: 'ambiguous', candidates: ['KMT2B', 'KMT2D'] });
    expect(genes('MLL4')).toBe('MLL4');
    expect(describeLookup(genes, 'MLL4')).toMatch(/alias of KMT2B and KMT2D/);
  });
  it('keeps unknown symbols upper-cased when not strict', () => {
    expect(genes('foo1')).toBe('FOO1');
    expect(genes.has('FOO1')).toBe(false);
  });
  it('refuses unknown symbols in strict mode, naming the symbol', () => {
    const strict = createGeneResolver(undefined, { strict: true });
    expect(() => strict('NOTAGENE')).toThrow(InvalidInputError);
    expect(() => strict('NOTAGENE')).toThrow(/unknown gene symbol "NOTAGENE"/);
    expect(strict('HER2')).toBe('ERBB2');
  });
  it('accepts extra aliases at run time, as a map or as gene records', () => {
    const a = createGeneResolver({ FOOBAR: 'ERBB2' });
    expect(a('foobar')).toBe('ERBB2');
    const b = createGeneResolver([{ symbol: 'NEWGENE1', aliases: ['OLDNAME1'] }], { strict: true });
    expect(b('OLDNAME1')).toBe('NEWGENE1');
    expect(b('NEWGENE1')).toBe('NEWGENE1');
  });
  it('resolves every alias the knowledge base lists to its gene', () => {
    const dir = new URL('../../../evidence/genes/', import.meta.url);
    const records = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => parseYaml(readFileSync(new URL(f, dir), 'utf8')) as { gene: string; aliases?: string[] });
    expect(records.length).toBeGreaterThan(0);
    const kb = createGeneResolver(records.map((r) => ({ symbol: r.gene, aliases: r.aliases })));
    for (const r of records) for (const alias of r.aliases ?? []) {
      const got = kb.lookup(alias);
      // an alias that is another gene's current symbol stays that gene
      if (got.via === "ambiguous") expect(got.candidates).toContain(r.gene.toUpperCase());
      else if (got.via !== "current") expect(got.symbol, `${alias} of ${r.gene}`).toBe(r.gene.toUpperCase());
    }
  });
});

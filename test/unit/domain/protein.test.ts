import { describe, expect, it } from 'vitest';
import { parseProteinChange } from '../../../server/domain/protein.ts';

describe('protein change notation', () => {
  it.each([
    ['V600E', 'missense', 'V600E'],
    ['p.V600E', 'missense', 'V600E'],
    ['p.Val600Glu', 'missense', 'V600E'],
    ['(p.Val600Glu)', 'missense', 'V600E'],
    ['R213*', 'nonsense', 'R213*'],
    ['p.Arg213Ter', 'nonsense', 'R213*'],
    ['R213X', 'nonsense', 'R213*'],
    ['V600=', 'synonymous', 'V600='],
    ['L747fs', 'frameshift', 'L747fs'],
    ['p.Leu747PhefsTer3', 'frameshift', 'L747fs'],
    ['E746_A750del', 'deletion', 'E746_A750del'],
    ['p.Glu746_Ala750del', 'deletion', 'E746_A750del'],
    ['L747del', 'deletion', 'L747del'],
    ['D770_N771insSVD', 'insertion', 'D770_N771insSVD'],
    ['A767_V769dup', 'duplication', 'A767_V769dup'],
    ['L747_P753delinsS', 'delins', 'L747_P753delinsS'],
    ['X1010_splice', 'splice', 'X1010_splice'],
    ['exon 14 skipping', 'exon-skipping', 'exon14skip'],
    ['M1?', 'start-lost', 'M1?'],
    ['ITD', 'duplication', 'ITD'],
    ['internal tandem duplication', 'duplication', 'ITD'],
    ['p.ITD', 'duplication', 'ITD'],
  ])('reads %s as %s %s', (text, type, canonical) => {
    const p = parseProteinChange(text);
    expect(p?.type).toBe(type);
    expect(p?.canonical).toBe(canonical);
  });

  it.each(['', 'V', '600E', 'V600', 'Foo600Bar', 'E750_A746del', 'V0E', 'hello world'])('rejects %j', (text) => {
    expect(parseProteinChange(text)).toBeUndefined();
  });
});

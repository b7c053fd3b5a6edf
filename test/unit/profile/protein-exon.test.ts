import { describe, expect, it } from 'vitest';
import { parseProteinChange } from '../../../server/domain/protein.ts';

describe('protein changes: exon-level in-frame deletions and insertions', () => {
  it.each([
    ['exon 19 deletion', 'deletion', 19, 'exon19del'],
    ['exon19del', 'deletion', 19, 'exon19del'],
    ['Exon 19 in-frame deletion', 'deletion', 19, 'exon19del'],
    ['exon 20 insertion', 'insertion', 20, 'exon20ins'],
    ['exon20ins', 'insertion', 20, 'exon20ins'],
    ['exon 20 ins', 'insertion', 20, 'exon20ins'],
  ])('%s', (text, type, exon, canonical) => {
    expect(parseProteinChange(text)).toEqual({ type, exon, canonical });
  });
  it('has no residue position, so it is matched by exon, not by codon', () => {
    expect(parseProteinChange('exon 19 deletion')!.pos).toBeUndefined();
  });
  it('refuses exon 0 and leaves residue-level deletions alone', () => {
    expect(parseProteinChange('exon 0 deletion')).toBeUndefined();
    expect(parseProteinChange('E746_A750del')).toMatchObject({ type: 'deletion', pos: 746, endPos: 750 });
  });
});

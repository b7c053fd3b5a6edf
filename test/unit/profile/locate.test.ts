import { describe, expect, it } from 'vitest';
import { createCoordinateLocator, normaliseVariant } from '../../../server/profile/locate.ts';
import { fixture, keys, readAll } from './helpers.ts';

describe('placing unannotated records by coordinates', () => {
  it('normalises chromosome names and alleles to their minimal form', () => {
    expect(normaliseVariant('chr7', 55174771, 'AGGAATTAAGAGAAGC', 'A')).toEqual({ chrom: '7', pos: 55174772, ref: 'GGAATTAAGAGAAGC', alt: '-' });
    expect(normaliseVariant('7', 55174772, 'GGAATTAAGAGAAGC', '-')).toEqual({ chrom: '7', pos: 55174772, ref: 'GGAATTAAGAGAAGC', alt: '-' });
    expect(normaliseVariant('chrM', 10, 'A', 'G')).toEqual({ chrom: 'MT', pos: 10, ref: 'A', alt: 'G' });
    expect(normaliseVariant('1', 100, 'CAT', 'CGT')).toEqual({ chrom: '1', pos: 101, ref: 'A', alt: 'G' });
  });
  it('matches by build; without a build only when unambiguous', () => {
    const locate = createCoordinateLocator([
      { gene: 'ERBB2', change: 'V777L', build: 'GRCh38', chrom: '17', pos: 39724775, ref: 'G', alt: 'T' },
      { gene: 'BRAF', change: 'V600E', build: 'GRCh37', chrom: '7', pos: 140453136, ref: 'A', alt: 'T' },
    ]);
    expect(locate('chr17', 39724775, 'G', 'T', 'GRCh38')).toEqual({ gene: 'ERBB2', change: 'V777L' });
    expect(locate('chr17', 39724775, 'G', 'T', 'GRCh37')).toBeUndefined();
    expect(locate('7', 140453136, 'A', 'T', undefined)).toEqual({ gene: 'BRAF', change: 'V600E' });
    expect(locate.size).toBe(2);
  });
  it('plugs into the VCF reader', async () => {
    const locate = createCoordinateLocator([{ gene: 'ERBB2', change: 'p.Val777Met', build: 'GRCh38', chrom: '17', pos: 39724775, ref: 'G', alt: 'A' }]);
    const [t1] = await readAll(fixture('vep-csq.vcf'), { locate });
    expect(keys(t1!)).toContain('ERBB2:p.V777M');
    expect(t1!.stats).toMatchObject({ located: 1, unannotated: 0 });
  });
});

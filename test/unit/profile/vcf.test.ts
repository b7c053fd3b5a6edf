import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseAnnotation, detectBuild, parseAnnotation, vepAllele, type TranscriptAnnotation } from '../../../server/profile/vcf.ts';
import { fixture, keys, readAll, readError, text } from './helpers.ts';

describe('VCF with VEP CSQ annotation (hand-written fixture, three samples)', () => {
  it('gives one profile per tumour sample and drops the matched normal with a warning', async () => {
    const results = await readAll(fixture('vep-csq.vcf'));
    expect(results.map((r) => r.profile.id)).toEqual(['TUMOUR1', 'TUMOUR2']);
    expect(results[0]!.warnings.map((w) => w.message).join('\n')).toMatch(/sample NORMAL carries no variant/);
  });
  it('reads gene and protein change from the chosen transcript, per carried allele', async () => {
    const [t1, t2] = await readAll(fixture('vep-csq.vcf'));
    // BRAF: the clinical transcript NM_004333 (V600E), not MANE's V640E; TP53: canonical R273H, not the isoform's stop
    expect(keys(t1!)).toEqual(['BRAF:p.V600E', 'KRAS:p.G12V', 'TP53:p.R273H']);
    expect(keys(t2!)).toEqual(['EGFR:p.E746_A750del', 'KRAS:p.G12D', 'TP53:p.R273H', 'MET:p.splice']);
  });
  it('keeps VAF (FORMAT AF) and the transcript exon', async () => {
    const [, t2] = await readAll(fixture('vep-csq.vcf'));
    const egfr = t2!.profile.alterations.find((a) => a.gene === 'EGFR')!;
    expect(egfr.vaf).toBeCloseTo(0.25);
    expect(egfr.exon).toBe(19);
  });
  it('counts filtered, non-coding and unannotated records and says so', async () => {
    const [t1] = await readAll(fixture('vep-csq.vcf'));
    expect(t1!.stats).toMatchObject({ records: 8, unannotated: 1, located: 0 });
    const w = t1!.warnings.map((x) => x.message).join('\n');
    expect(w).toMatch(/1 records failed FILTER/);
    expect(w).toMatch(/1 of 8 records had no annotation/);
  });
  it('places unannotated records through the locate callback, with the declared build', async () => {
    const calls: unknown[] = [];
    const [t1] = await readAll(fixture('vep-csq.vcf'), {
      locate: (chrom, pos, ref, alt, build) => {
        calls.push([chrom, pos, ref, alt, build]);
        return { gene: 'ERBB2', change: 'V777M' };
      },
    });
    expect(calls).toEqual([['chr17', 39724775, 'G', 'A', 'GRCh38']]);
    expect(keys(t1!)).toContain('ERBB2:p.V777M');
    expect(t1!.stats).toMatchObject({ located: 1, unannotated: 0 });
    expect(t1!.build).toBe('GRCh38');
  });
  it('reads the same file gzipped, and one sample on request', async () => {
    const gz = gzipSync(readFileSync(fixture('vep-csq.vcf')));
    const results = await readAll(gz, { filename: 'case.vcf.gz', sample: 'TUMOUR2' });
    expect(results.map((r) => r.profile.id)).toEqual(['TUMOUR2']);
  });
});

describe('VCF with snpEff ANN annotation (hand-written fixture, GRCh37)', () => {
  it('reads gene and protein change, most severe effect first', async () => {
    const [r] = await readAll(fixture('snpeff-ann.vcf'));
    expect(keys(r!)).toEqual(['PIK3CA:p.H1047R', 'EGFR:p.L858R', 'CDKN2A:p.R80fs', 'ERBB2:p.S310F']);
    expect(r!.build).toBe('GRCh37');
    expect(r!.profile.alterations[0]!.vaf).toBeCloseTo(0.3);
  });
  it('skips synonymous and intergenic records', async () => {
    const [r] = await readAll(fixture('snpeff-ann.vcf'));
    expect(r!.stats).toMatchObject({ records: 6, skipped: 2 });
  });
});

describe('VCF details', () => {
  it('VEP trims the shared first base of indel alleles', () => {
    expect(vepAllele('AGGAATT', 'A', ['A'])).toBe('-');
    expect(vepAllele('A', 'AT', ['AT'])).toBe('T');
    expect(vepAllele('C', 'T', ['T'])).toBe('T');
  });
  it('chooses MANE over canonical over the most severe', () => {
    const a = (p: Partial<TranscriptAnnotation>): TranscriptAnnotation => ({ allele: 'T', consequences: [], gene: 'X', canonical: false, mane: false, pick: false, rank: 50, ...p });
    expect(chooseAnnotation([a({ rank: 1, hgvsp: 'sev' }), a({ canonical: true, hgvsp: 'can' }), a({ mane: true, hgvsp: 'mane' })])!.hgvsp).toBe('mane');
    expect(chooseAnnotation([a({ rank: 1, hgvsp: 'sev' }), a({ canonical: true, hgvsp: 'can' })])!.hgvsp).toBe('can');
    expect(chooseAnnotation([a({ rank: 9, hgvsp: 'b' }), a({ rank: 1, hgvsp: 'sev' })])!.hgvsp).toBe('sev');
  });
  it('parses an ANN entry with exon rank', () => {
    const layout = { tag: 'ANN' as const, fields: ['Allele', 'Annotation', 'Annotation_Impact', 'Gene_Name', 'Gene_ID', 'Feature_Type', 'Feature_ID', 'Transcript_BioType', 'Rank', 'HGVS.c', 'HGVS.p'] };
    expect(parseAnnotation(layout, 'G|missense_variant|MODERATE|EGFR|E|transcript|ENST1|protein_coding|21/28|c.2573T>G|p.Leu858Arg')).toMatchObject({ gene: 'EGFR', exon: 21, hgvsp: 'p.Leu858Arg' });
  });
  it('detects the build from ##reference, ##contig lengths, liftover notes and the file name', () => {
    expect(detectBuild(['##reference=file:///ref/hs37d5.fa']).build).toBe('GRCh37');
    expect(detectBuild(['##contig=<ID=chr1,length=248956422>']).build).toBe('GRCh38');
    expect(detectBuild(['##liftOverFile=/x/hg38ToHg19.over.chain.gz']).build).toBe('GRCh37');
    expect(detectBuild([], 'T001-COAD.grch38.vcf.gz').build).toBe('GRCh38');
    expect(detectBuild(['##source=caller']).build).toBeUndefined();
  });
  it('a sites-only VCF (no samples) gives one profile named after the file', async () => {
    const vcf = readFileSync(fixture('snpeff-ann.vcf'), 'utf8')
      .split('\n')
      .map((l) => (l.startsWith('#CHROM') ? l.split('\t').slice(0, 8).join('\t') : l.startsWith('#') || l === '' ? l : l.split('\t').slice(0, 8).join('\t')))
      .join('\n');
    const [r] = await readAll(text(vcf, 'sites.vcf'));
    expect(r!.profile.id).toBe('sites');
    expect(keys(r!)).toContain('EGFR:p.L858R');
  });
  it('asks for a sample that is not there by listing the samples', async () => {
    const e = await readError(fixture('vep-csq.vcf'), { sample: 'T9' });
    expect(e.details[0]!.message).toMatch(/TUMOUR1, TUMOUR2, NORMAL/);
  });
});

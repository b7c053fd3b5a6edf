import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectFormat, readProfile, readProfileText } from '../../../server/profile/index.ts';
import { fixture, keys, readAll, readError, text } from './helpers.ts';

describe('format detection: by content first, then by name', () => {
  it.each([
    ['##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n', undefined, 'vcf'],
    ['{"id": "c1", "alterations": []}', undefined, 'json'],
    ['{\n  "id": "c1",\n  "alterations": []\n}', 'case.json', 'json'],
    ['{"id":"a","alterations":[]}\n{"id":"b","alterations":[]}\n', undefined, 'jsonl'],
    ['{"id":"a","alterations":[]}\n', 'in.jsonl', 'jsonl'],
    ['#version 2.4\nHugo_Symbol\tEntrez_Gene_Id\tVariant_Classification\tTumor_Sample_Barcode\n', undefined, 'maf'],
    ['Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\n', 'x.txt', 'maf'],
    ['#FusionName\tJunctionReadCount\tLeftGene\tRightGene\n', undefined, 'fusion'],
    ['#gene1\tgene2\tstrand1(gene/fusion)\n', undefined, 'fusion'],
    ['FusionGene\tLeftBreakpoint\n', undefined, 'fusion'],
    ['gene\tcall\nERBB2\tamp\n', undefined, 'cnv'],
    ['Hugo_Symbol\tEntrez_Gene_Id\tS1\tS2\n', 'data_CNA.txt', 'cnv'],
    ['Chromosome\tStart\tEnd\tnMajor\tnMinor\n', 'x.cna.tsv', 'cnv'],
    ['EGFR L858R; ERBB2 amplification; MSI-H', undefined, 'text'],
    ['BRAF V600E\nTMB 14.2\n', 'case.txt', 'text'],
    // A pasted fusion line is text, not the header of a table with a "fusion" column.
    ['ALK fusion', undefined, 'text'],
    ['EML4::ALK fusion\nFLT3-ITD\n', undefined, 'text'],
    ['PML::RARA fusion; FLT3-ITD', undefined, 'text'],
    ['gene1 gene2\nEML4 ALK\n', undefined, 'fusion'],
  ])('%j (%s) -> %s', (head, name, format) => {
    expect(detectFormat(head, name)).toBe(format);
  });
});

describe('reading one profile', () => {
  it('reads a DESIGN §5 JSON profile with aliases resolved and reported', () => {
    const r = readProfileText(JSON.stringify({ id: 'case-001', tumourType: 'luad', alterations: [{ gene: 'HER2', kind: 'amplification' }, { gene: 'EGFR', kind: 'mutation', change: 'exon 19 deletion' }] }));
    expect(r.profile).toMatchObject({ id: 'case-001', tumourType: 'LUAD' });
    expect(keys(r)).toEqual(['ERBB2:amp', 'EGFR:p.exon19del']);
    expect(r.warnings[0]).toMatchObject({ path: 'alterations.0.gene', message: expect.stringMatching(/read as ERBB2/) });
  });
  it('reads pasted text', () => {
    expect(keys(readProfileText('EGFR L858R; ERBB2 amplification; EML4::ALK; MSI-H; TMB 14.2'))).toEqual(['EGFR:p.L858R', 'ERBB2:amp', 'EML4::ALK', 'MSI:high', 'TMB:14.2']);
  });
  it('readProfile reads a gzipped text file and names it after the file', async () => {
    const r = await readProfile(gzipSync(Buffer.from('BRAF V600E\n')), { filename: 'case-7.txt.gz' });
    expect(r.profile.id).toBe('case-7');
    expect(keys(r)).toEqual(['BRAF:p.V600E']);
  });
  it('readProfile refuses a multi-sample file, naming the samples', async () => {
    await expect(readProfile(fixture('vep-csq.vcf'))).rejects.toThrow(/several profiles/);
  });
  it('JSONL gives one profile per line; continueOnError yields bad lines with their error', async () => {
    const jsonl = '{"id":"a","alterations":[{"gene":"KRAS","kind":"mutation","change":"G12C"}]}\nnot json\n{"id":"c","alterations":[{"gene":"BRAF","kind":"mutation","change":"V600Z"}]}\n';
    const results = await readAll(text(jsonl, 'in.jsonl'), { continueOnError: true });
    expect(results.map((r) => [r.profile.id, r.error?.details[0]?.line])).toEqual([
      ['a', undefined],
      ['line-2', 2],
      ['c', 3],
    ]);
  });
  it('reports progress while reading', async () => {
    const seen: number[] = [];
    await readAll(fixture('vep-csq.vcf'), { onProgress: (p) => seen.push(p.records) });
    expect(seen.at(-1)).toBe(8);
  });
});

describe('size limit', () => {
  it('refuses input over the limit with a clear message', async () => {
    const e = await readError(text('BRAF V600E\n'.repeat(100)), { maxBytes: 500 });
    expect(e.message).toMatch(/too large/);
    expect(e.details[0]!.message).toMatch(/over the 500 byte limit/);
  });
  it('refuses a gzip that expands beyond the limit (a gzip bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(2_000_000, 'A'));
    const e = await readError(bomb, { maxBytes: 50_000 });
    expect(e.message).toMatch(/too large/);
  });
});

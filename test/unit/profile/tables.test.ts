import { describe, expect, it } from 'vitest';
import { legacyProteinChange, parseSampleTumourTypes } from '../../../server/profile/maf.ts';
import { splitFusionName } from '../../../server/profile/fusion.ts';
import { callFromText, CNV_DEFAULTS } from '../../../server/profile/cnv.ts';
import { YIELD_LINES } from '../../../server/profile/io.ts';
import { keys, readAll, readError, text } from './helpers.ts';

const MAF = [
  '#version 2.4',
  'Hugo_Symbol\tEntrez_Gene_Id\tVariant_Classification\tTumor_Sample_Barcode\tHGVSp_Short\tt_ref_count\tt_alt_count\tONCOTREE_CODE',
  'KRAS\t3845\tMissense_Mutation\tS1\tp.G12D\t60\t40\tCOADREAD',
  'APC\t324\tNonsense_Mutation\tS1\tp.R1450*\t50\t50\tCOADREAD',
  'TP53\t7157\tSilent\tS1\tp.R213=\t50\t50\tCOADREAD',
  'HER2\t2064\tMissense_Mutation\tS2\tp.S310F\t80\t20\tBRCA',
  'NPM1\t4869\tFrame_Shift_Ins\tS2\tp.WQ288fs\t80\t20\tBRCA',
  'FLT3\t2322\tIn_Frame_Ins\tS2\tp.599_600insDFREYEY\t80\t20\tBRCA',
].join('\n');

describe('MAF: one profile per Tumor_Sample_Barcode', () => {
  it('reads samples, protein changes, VAF and the OncoTree column; skips silent', async () => {
    const [s1, s2] = await readAll(text(MAF, 'cohort.maf'));
    expect(s1!.profile).toMatchObject({ id: 'S1', tumourType: 'COADREAD' });
    expect(keys(s1!)).toEqual(['KRAS:p.G12D', 'APC:p.R1450*']);
    expect(s1!.profile.alterations[0]!.vaf).toBeCloseTo(0.4);
    expect(s1!.stats).toMatchObject({ records: 3, skipped: 1 });
    expect(keys(s2!)).toEqual(['ERBB2:p.S310F', 'NPM1:p.W288fs', 'FLT3:p.X599_X600insDFREYEY']);
    expect(s2!.warnings[0]!.message).toMatch(/"HER2" read as ERBB2/);
  });
  it('reads the one sample asked for, and names the samples there are when it is not one of them', async () => {
    const [only, more] = await readAll(text(MAF, 'cohort.maf'), { sample: 'S2' });
    expect(more).toBeUndefined();
    expect(only!.profile.id).toBe('S2');
    expect(keys(only!)).toEqual(['ERBB2:p.S310F', 'NPM1:p.W288fs', 'FLT3:p.X599_X600insDFREYEY']);
    const e = await readError(text(MAF, 'cohort.maf'), { sample: 'S9' });
    expect(e.message).toBe('profile/maf: no sample "S9"');
    expect(e.details).toEqual([{ path: 'Tumor_Sample_Barcode', message: 'the samples in this MAF are S1, S2' }]);
  });
  it('takes tumour types from a side file, and --tumour overrides everything', async () => {
    const map = parseSampleTumourTypes('sample\toncotree_code\nS1\tcoad\nS2\tBRCA\n');
    expect(map.get('S1')).toBe('COAD');
    const noColumn = MAF.split('\n').map((l) => l.split('\t').slice(0, 7).join('\t')).join('\n');
    const [s1] = await readAll(text(noColumn, 'x.maf'), { sampleTumourTypes: map });
    expect(s1!.profile.tumourType).toBe('COAD');
    const [t1] = await readAll(text(MAF, 'x.maf'), { tumourType: 'AML' });
    expect(t1!.profile.tumourType).toBe('AML');
  });
  it('rewrites legacy Oncotator protein changes', () => {
    expect(legacyProteinChange('p.WQ288fs')).toBe('p.W288fs');
    expect(legacyProteinChange('p.SG140del')).toBe('p.S140_G141del');
    expect(legacyProteinChange('p.599_600insDFREYEY')).toBe('p.X599_X600insDFREYEY');
    expect(legacyProteinChange('p.310_311TQ>TKQNPQ')).toBe('p.T310_Q311delinsTKQNPQ');
    expect(legacyProteinChange('p.V600E')).toBe('p.V600E');
  });
  it('with continueOnError, a sample with an unreadable change is yielded with its error', async () => {
    const bad = `Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nKRAS\tA\tp.G12D\nBRAF\tB\tp.V600Z\n`;
    const results = await readAll(text(bad, 'x.maf'), { continueOnError: true });
    expect(results.map((r) => [r.profile.id, r.error?.details[0]?.line])).toEqual([
      ['A', undefined],
      ['B', 3],
    ]);
  });
});

describe('a table already in memory (an upload)', () => {
  it(`lets the event loop run every ${YIELD_LINES} lines while it is read, not only at its end`, async () => {
    // 2,000 samples of five rows: 10,001 lines, read from one string as the server reads an uploaded body.
    const rows = Array.from({ length: 10_000 }, (_, i) => `KRAS\t3845\tMissense_Mutation\tS${Math.floor(i / 5)}\tp.G${(i % 5) + 10}D\t60\t40\tCOADREAD`);
    const maf = [MAF.split('\n')[1], ...rows].join('\n');
    let turns = 0;
    let running = true;
    const tick = () => {
      if (!running) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const read = await readAll(text(maf, 'upload.maf'));
    running = false;
    expect(read).toHaveLength(2000);
    // Each pause gives the loop a turn (the first pass over the samples and the read itself each pause 5 times).
    expect(turns).toBeGreaterThanOrEqual(Math.floor(10_001 / YIELD_LINES));
  });
});

describe('copy-number tables', () => {
  it('reads gene + call, with low-level events counted and not kept', async () => {
    const [r] = await readAll(text('gene\tcall\nERBB2\tAMP\nCDKN2A\tHOMDEL\nMYC\tgain\nPTEN\tloss\n', 'tumour.cnv.tsv'), { tumourType: 'BRCA' });
    expect(keys(r!)).toEqual(['ERBB2:amp', 'CDKN2A:del']);
    expect(r!.warnings[0]!.message).toMatch(/2 low-level/);
    expect(r!.profile.tumourType).toBe('BRCA');
  });
  it(`reads absolute copy numbers with the documented thresholds (amp >= ${CNV_DEFAULTS.ampCopies}, del <= ${CNV_DEFAULTS.delCopies})`, async () => {
    const [r] = await readAll(text('Hugo_Symbol,copy_number\nERBB2,12\nMET,5\nCDKN2A,0\nRB1,1\n', 'x.csv'), { format: 'cnv' });
    expect(keys(r!)).toEqual(['ERBB2:amp', 'CDKN2A:del']);
  });
  it(`reads log2 ratios (amp >= ${CNV_DEFAULTS.log2Amp}, del <= ${CNV_DEFAULTS.log2Del})`, async () => {
    const [r] = await readAll(text('gene\tlog2\nEGFR\t2.3\nKRAS\t0.8\nPTEN\t-1.9\n', 'cnvkit.genemetrics.cns'));
    expect(keys(r!)).toEqual(['EGFR:amp', 'PTEN:del']);
  });
  it('reads a cBioPortal data_CNA matrix, one profile per sample', async () => {
    const results = await readAll(text('Hugo_Symbol\tEntrez_Gene_Id\tP-1\tP-2\nERBB2\t2064\t2\t0\nCDKN2A\t1029\t-1\t-2\n', 'data_CNA.txt'));
    expect(results.map((r) => [r.profile.id, keys(r)])).toEqual([
      ['P-1', ['ERBB2:amp']],
      ['P-2', ['CDKN2A:del']],
    ]);
  });
  it('reads the one sample asked for of a matrix or of a table with a sample column, and names the others when it is not there', async () => {
    const matrix = text('Hugo_Symbol\tEntrez_Gene_Id\tP-1\tP-2\nERBB2\t2064\t2\t0\nCDKN2A\t1029\t-1\t-2\n', 'data_CNA.txt');
    const one = await readAll(matrix, { sample: 'P-2' });
    expect(one.map((r) => [r.profile.id, keys(r)])).toEqual([['P-2', ['CDKN2A:del']]]);
    const e = await readError(text('Hugo_Symbol\tEntrez_Gene_Id\tP-1\tP-2\nERBB2\t2064\t2\t0\n', 'data_CNA.txt'), { sample: 'P-9' });
    expect(e.message).toBe('profile/cnv: no sample "P-9"');
    expect(e.details).toEqual([{ path: 'header', message: 'the samples in this copy-number matrix are P-1, P-2' }]);
    // A gene-level table with a sample column: the other sample's rows are passed over, even an unreadable one.
    const long = text('gene\tsample\tcall\nERBB2\tS1\tAMP\nMYC\tS2\tnot-a-call\nCDKN2A\tS2\tHOMDEL\nPTEN\tS1\tHOMDEL\n', 'calls.cnv.tsv');
    const [s1, more] = await readAll(long, { sample: 'S1' });
    expect(more).toBeUndefined();
    expect(keys(s1!)).toEqual(['ERBB2:amp', 'PTEN:del']);
    const e2 = await readError(text('gene\tsample\tcall\nERBB2\tS1\tAMP\n', 'calls.cnv.tsv'), { sample: 'S3' });
    expect(e2.details).toEqual([{ path: 'sample', message: 'the samples in this copy-number table are S1' }]);
  });
  it('GISTIC and words map to calls', () => {
    expect(callFromText('2')).toBe('amplification');
    expect(callFromText('-2')).toBe('deletion');
    expect(callFromText('Deep Deletion')).toBe('deletion');
    expect(callFromText('1')).toBe('low');
  });
  it('places segments on genes through locateGenes', async () => {
    const seg = 'Chromosome\tStart\tEnd\tnMajor\tnMinor\n17\t39600010\t40000000\t8\t1\n9\t21000000\t23000000\t0\t0\n1\t1\t1000\t1\t1\n';
    const [r] = await readAll(text(seg, 'x.cna.tsv'), {
      locateGenes: (chrom, start, end) => (chrom === '17' && start <= 39730426 && end >= 39687914 ? ['ERBB2'] : chrom === '9' ? ['CDKN2A', 'CDKN2B'] : []),
    });
    expect(keys(r!)).toEqual(['ERBB2:amp', 'CDKN2A:del', 'CDKN2B:del']);
  });
});

describe('fusion tables', () => {
  it('reads STAR-Fusion output', async () => {
    const star = '#FusionName\tJunctionReadCount\tSpanningFragCount\tSpliceType\tLeftGene\tLeftBreakpoint\tRightGene\tRightBreakpoint\nEML4--ALK\t120\t40\tONLY_REF_SPLICE\tEML4^ENSG00000143924.19\tchr2:42295554:+\tALK^ENSG00000171094.18\tchr2:29223528:-\nEML4--ALK\t12\t4\tONLY_REF_SPLICE\tEML4^ENSG00000143924.19\tchr2:42299999:+\tALK^ENSG00000171094.18\tchr2:29223528:-\n';
    const [r] = await readAll(text(star, 'star-fusion.fusion_predictions.tsv'));
    expect(keys(r!)).toEqual(['EML4::ALK']);
  });
  it('reads Arriba output and skips low-confidence calls', async () => {
    const arriba = '#gene1\tgene2\tstrand1(gene/fusion)\tstrand2(gene/fusion)\tbreakpoint1\tbreakpoint2\tsite1\tsite2\ttype\tsplit_reads1\tsplit_reads2\tdiscordant_mates\tcoverage1\tcoverage2\tconfidence\nCD74\tROS1\t-/-\t-/-\t5:150404680\t6:117324415\tsplice-site\tsplice-site\ttranslocation\t20\t15\t30\t100\t80\thigh\nFOO1\tBAR2(1234),BAZ3(99)\t+/+\t+/+\t1:1\t1:2\tintergenic\tintergenic\tdeletion\t1\t0\t0\t5\t5\tlow\n';
    const [r] = await readAll(text(arriba, 'fusions.tsv'));
    expect(keys(r!)).toEqual(['CD74::ROS1']);
    expect(r!.warnings[0]!.message).toMatch(/1 low-confidence/);
  });
  it('reads the PCGR-style FusionGene table and a simple gene1 gene2 table', async () => {
    const [a] = await readAll(text('FusionGene\tLeftBreakpoint\tRightBreakpoint\tSplitReads\nCCDC6--RET\t10:1\t10:2\t65\n', 'x.fusions.tsv'));
    expect(keys(a!)).toEqual(['CCDC6::RET']);
    const [b] = await readAll(text('gene1 gene2\nEML4 ALK\nTMPRSS2 ERG\n'), { format: 'fusion' });
    expect(keys(b!)).toEqual(['EML4::ALK', 'TMPRSS2::ERG']);
  });
  it('splits fusion names in any of the usual notations', () => {
    for (const n of ['EML4--ALK', 'EML4::ALK', 'EML4-ALK', 'EML4/ALK', 'EML4>ALK']) expect(splitFusionName(n)).toEqual(['EML4', 'ALK']);
  });
  it('reads the one sample asked for of a table with a sample column, and names the others when it is not there', async () => {
    const table = 'FusionName\tSample_Id\nEML4--ALK\tT1\nCCDC6--RET\tT2\nKIF5B--RET\tT2\n';
    const [t2, more] = await readAll(text(table, 'cohort.fusions.tsv'), { sample: 'T2' });
    expect(more).toBeUndefined();
    expect(keys(t2!)).toEqual(['CCDC6::RET', 'KIF5B::RET']);
    const e = await readError(text(table, 'cohort.fusions.tsv'), { sample: 'T3' });
    expect(e.message).toBe('profile/fusion: no sample "T3"');
    expect(e.details).toEqual([{ path: 'Sample_Id', message: 'the samples in this fusion table are T1, T2' }]);
  });
  it('a fusion name it cannot split is an error naming the line and column', async () => {
    const e = await readError(text('fusion\tsample\nEML4ALK\tX\n', 'f.fusions.tsv'));
    expect(e.details[0]).toMatchObject({ line: 2, path: 'fusion' });
  });
});

/** What-if profiles: a normalised alteration goes back to an input that normalises to the same key. */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../server/engine.ts';
import { normaliseAlteration } from '../../../server/domain/alteration.ts';
import { fileSamples, formatFromFilename, inputLines, looksLikeText, MAF_SAMPLES_LISTED, mafSamples, sampleToRead, toInput, tumourSample, vcfSamples, whatIfProfile } from '../../../client/src/profile-input.ts';
import { detectFormat, readProfiles } from '../../../server/profile/index.ts';

const engine = createEngine();

describe('toInput', () => {
  it('round-trips every kind of alteration the text reader produces', async () => {
    const text = [
      'BRAF V600E (VAF 23%)',
      'EGFR exon 19 deletion',
      'EGFR E746_A750del',
      'TP53 R213*',
      'ERBB2 amplification',
      'CDKN2A deletion',
      'EML4::ALK',
      'NTRK1 fusion',
      'MET exon 14 skipping',
      'MSI-H',
      'TMB 14.2',
      'dMMR',
      'BRCA2 R3052W (germline)',
    ].join('\n');
    const { profile } = await engine.read({ text }, { tumourType: 'LUAD' });
    expect(profile.alterations.length).toBeGreaterThanOrEqual(12);
    for (const a of profile.alterations) {
      const again = normaliseAlteration(toInput(a), engine.genes);
      expect(again.key, a.label).toBe(a.key);
      expect(again.vaf).toBe(a.vaf);
      expect(again.origin).toBe(a.origin);
    }
  });

  it('ranks the what-if profile exactly like the original when nothing is switched off', async () => {
    const { profile } = await engine.read({ text: 'EGFR L858R; EGFR T790M; TP53 R273H' }, { tumourType: 'LUAD' });
    const { profile: again } = await engine.read({ text: JSON.stringify(whatIfProfile(profile, { disabled: new Set() })) }, { format: 'json' });
    expect(engine.rank(again)).toEqual(engine.rank(profile));
  });

  it('leaves switched-off alterations out and replaces the tumour type', async () => {
    const { profile } = await engine.read({ text: 'EGFR L858R; EGFR T790M' }, { tumourType: 'LUAD' });
    const w = whatIfProfile(profile, { disabled: new Set(['EGFR:p.T790M']), tumourType: 'COADREAD' });
    expect(w).toEqual({ id: profile.id, tumourType: 'COADREAD', alterations: [{ kind: 'mutation', gene: 'EGFR', change: 'L858R' }] });
  });
});

describe('intake helpers', () => {
  it('numbers lines as the readers do and tells headers and comments apart', () => {
    expect(inputLines('id: c1\n# note\n\nEGFR L858R').map((l) => [l.line, l.kind])).toEqual([
      [1, 'header'],
      [2, 'comment'],
      [3, 'blank'],
      [4, 'alteration'],
    ]);
  });
  it('tells the short text form from JSON, VCF and tables', () => {
    expect(looksLikeText('EGFR L858R; TP53 R273H')).toBe(true);
    expect(looksLikeText('{"alterations": []}')).toBe(false);
    expect(looksLikeText('##fileformat=VCFv4.2\n#CHROM\tPOS')).toBe(false);
    expect(looksLikeText('Hugo_Symbol\tChromosome\tStart_Position\tHGVSp_Short\nKRAS\t12\t1\tp.G12D')).toBe(false);
  });
  it("lists a VCF's sample columns, and names the tumour when exactly one sample says it is one", () => {
    const vcf = (cols: string) => `##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO${cols}\r\nchr7\t1\t.\tA\tT\t.\tPASS\t.\n`;
    expect(vcfSamples(vcf('\tFORMAT\tTUMOR\tNORMAL'))).toEqual(['TUMOR', 'NORMAL']);
    expect(vcfSamples(vcf('\tFORMAT\tS1'))).toEqual(['S1']);
    expect(vcfSamples(vcf(''))).toEqual([]); // sites only
    expect(vcfSamples('#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tB')).toEqual(['A', 'B']);
    expect(vcfSamples('EGFR L858R; TP53 R273H')).toEqual([]);
    expect(tumourSample(['TUMOR', 'NORMAL'])).toBe('TUMOR');
    expect(tumourSample(['P01_N', 'P01_T'])).toBe('P01_T');
    expect(tumourSample(['normal_blood', 'tumour_1'])).toBe('tumour_1');
    expect(tumourSample(['TUMOUR1', 'TUMOUR2', 'NORMAL'])).toBeUndefined(); // two say so: the user chooses
    expect(tumourSample(['S1', 'S2'])).toBeUndefined();
    // The sample to read: the one chosen, else the one named the tumour; a file of one sample needs no choice.
    const vcfOf = (samples: string[]) => ({ kind: 'VCF' as const, samples });
    expect(sampleToRead(vcfOf(['TUMOR', 'NORMAL']), undefined)).toBe('TUMOR');
    expect(sampleToRead(vcfOf(['TUMOR', 'NORMAL']), 'NORMAL')).toBe('NORMAL');
    expect(sampleToRead(vcfOf(['TUMOR', 'NORMAL']), '')).toBeUndefined(); // set back to "choose"
    expect(sampleToRead(vcfOf(['TUMOR', 'NORMAL']), 'GONE')).toBeUndefined(); // of an earlier file
    expect(sampleToRead(vcfOf(['TUMOR']), undefined)).toBeUndefined();
  });
  it("lists a MAF's tumour sample barcodes once each, in file order, and guesses none of them", () => {
    const maf = [
      '#version 2.4',
      'Hugo_Symbol\tVariant_Classification\tTumor_Sample_Barcode\tMatched_Norm_Sample_Barcode\tHGVSp_Short',
      'BRAF\tMissense_Mutation\tP7_MET\tP7_N\tp.V600E',
      '',
      'KRAS\tMissense_Mutation\tP7_T\tP7_N\tp.G12D',
      'TP53\tMissense_Mutation\tP7_MET\tP7_N\tp.R273H',
      'TP53\tMissense_Mutation\t\tP7_N\tp.R175H', // no barcode: the server names the line
      'EGFR\tMissense_Mutation\tP9_T', // cut short: not a row of this table
    ].join('\r\n');
    expect(mafSamples(maf)).toEqual(['P7_MET', 'P7_T']);
    expect(fileSamples(maf)).toEqual({ kind: 'MAF', samples: ['P7_MET', 'P7_T'] });
    // Every barcode is a tumour sample (the normal has its own column): P7_T is not preferred; the user chooses.
    expect(sampleToRead(fileSamples(maf), undefined)).toBeUndefined();
    expect(sampleToRead(fileSamples(maf), 'P7_T')).toBe('P7_T');
    // Column names as the server's reader compares them; a comma-separated table; Sample_ID for a barcode column.
    expect(mafSamples('hugo symbol,sample_id,hgvsp_short\nBRAF,"A-1",p.V600E\nNRAS,B-2,p.Q61K')).toEqual(['A-1', 'B-2']);
    // Not a MAF: no Hugo_Symbol, no sample column, a copy-number table with a sample column (the server reads it as
    // one, not as a MAF: nothing to choose here), a VCF (its own samples), text.
    expect(mafSamples('gene\tsample\tchange\nBRAF\tS1\tV600E')).toEqual([]);
    expect(mafSamples('Hugo_Symbol\tHGVSp_Short\nBRAF\tp.V600E')).toEqual([]);
    expect(mafSamples('Hugo_Symbol\tsample\tcopy_number\nERBB2\tS1\t8\nMYC\tS2\t6')).toEqual([]);
    expect(fileSamples('#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tB')).toEqual({ kind: 'VCF', samples: ['A', 'B'] });
    expect(fileSamples('EGFR L858R; TP53 R273H').samples).toEqual([]);
    // A cohort's MAF: read until MAF_SAMPLES_LISTED barcodes are found, not to its end.
    const rows = Array.from({ length: MAF_SAMPLES_LISTED + 5 }, (_, i) => `KRAS\tS${i}\tp.G12D`);
    expect(mafSamples(['Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short', ...rows].join('\n'))).toHaveLength(MAF_SAMPLES_LISTED);
  });
  it('lists the samples of a copy-number matrix, a copy-number table and a fusion table as the server reads them', async () => {
    const cases: Array<{ text: string; format?: string; detected: string; kind: string; samples: string[]; unreadable?: boolean }> = [
      // cBioPortal's data_CNA.txt: a column per sample, beside the gene's and its annotations.
      { text: 'Hugo_Symbol\tEntrez_Gene_Id\tP-1\tP-2\tP-3\nERBB2\t2064\t2\t0\t0\nMET\t4233\t0\t2\t-2', detected: 'cnv', kind: 'copy-number matrix', samples: ['P-1', 'P-2', 'P-3'] },
      // Without its Entrez_Gene_Id column the content alone is no table: the intake reads it as copy number by its
      // name (data_CNA.txt: formatFromFilename), and so does the server; a column named twice is listed once.
      { text: 'Hugo_Symbol\tS1\tS2\tS2\nEGFR\t2\t0\t0\nMET\t0\t2\t2', format: 'cnv', detected: 'text', kind: 'copy-number matrix', samples: ['S1', 'S2'] },
      // A call per gene and sample, comma-separated, a comment, a blank line and CRLF line ends between.
      { text: 'gene,sample,copy_number\r\nERBB2,S1,8\r\n# reviewed\r\n\r\nMYC,"S2",6\r\nMET,S1,9', detected: 'cnv', kind: 'copy-number table', samples: ['S1', 'S2'] },
      // One sample's table: nothing to choose.
      { text: 'gene\tcall\nERBB2\tamp\nCDKN2A\tdel', detected: 'cnv', kind: 'copy-number table', samples: [] },
      { text: 'FusionName\tSample_Id\nEML4--ALK\tA-1\nKIF5B--RET\tB-2\nCD74--ROS1\tA-1', detected: 'fusion', kind: 'fusion table', samples: ['A-1', 'B-2'] },
      // STAR-Fusion's header starts with #.
      { text: '#FusionName\tJunctionReadCount\tLeftGene\tRightGene\nEML4--ALK\t12\tEML4\tALK', detected: 'fusion', kind: 'fusion table', samples: [] },
      // A table whose first line the reader takes for its header is not the one it is told by (a commented line with
      // a tab; a "#fusion" note in a copy-number table): the server cannot read the samples, so none is offered.
      { text: '#source\tcnvkit\ngene\tsample\tlog2\nEGFR\tS1\t2\nERBB2\tS2\t2', detected: 'cnv', kind: 'copy-number table', samples: [], unreadable: true },
      { text: 'gene\tsample\tcn\nEGFR\tS1\t8\n#fusion note\nERBB2\tS2\t8', detected: 'fusion', kind: 'fusion table', samples: [], unreadable: true },
    ];
    for (const c of cases) {
      expect(detectFormat(c.text), c.text).toBe(c.detected);
      const file = fileSamples(c.text, c.format);
      expect(file, c.text).toEqual({ kind: c.kind, samples: c.samples });
      // No sample is guessed; the one chosen is read, and the server reads that one sample only.
      expect(sampleToRead(file, undefined)).toBeUndefined();
      const format = (c.format ?? c.detected) as 'cnv' | 'fusion';
      if (c.samples.length < 2) {
        // Nothing to choose: the server reads one profile, or (the reader's header is not the one told by) none.
        const all = async () => {
          const ids = [];
          for await (const r of readProfiles({ text: c.text }, { format, sampleId: (name) => name })) ids.push(r.profile.id);
          return ids;
        };
        if (c.unreadable) await expect(all()).rejects.toThrow(/no gene column|no fusion columns/);
        else expect(await all()).toHaveLength(1);
        continue;
      }
      const chosen = c.samples[1]!;
      expect(sampleToRead(file, chosen)).toBe(chosen);
      const read = [];
      for await (const r of readProfiles({ text: c.text }, { format, sample: chosen, sampleId: (name) => name })) read.push(r.profile);
      expect(read.map((p) => p.id)).toEqual([chosen]);
    }
    // A MAF (with its Entrez_Gene_Id column, as a copy-number matrix has) is a MAF; text lists nothing.
    expect(fileSamples('Hugo_Symbol\tEntrez_Gene_Id\tTumor_Sample_Barcode\tHGVSp_Short\nBRAF\t673\tS1\tp.V600E\nKRAS\t3845\tS2\tp.G12D')).toEqual({ kind: 'MAF', samples: ['S1', 'S2'] });
    expect(fileSamples('EGFR L858R; ERBB2 amplification; EML4::ALK').samples).toEqual([]);
    expect(fileSamples('ALK fusion').samples).toEqual([]);
    // Lines end at "\n", as the server reads them: a file of old Mac line ends is one line to both.
    expect(fileSamples('gene,sample,copy_number\rERBB2,S1,8\rMYC,S2,6').samples).toEqual([]);
    expect(mafSamples('Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\rBRAF\tS1\tp.V600E\rKRAS\tS2\tp.G12D')).toEqual([]);
  });
  it('guesses the format from a file name', () => {
    expect(formatFromFilename('tumour.vcf.gz')).toBe('vcf');
    expect(formatFromFilename('calls.maf')).toBe('maf');
    expect(formatFromFilename('sample_cnv.tsv')).toBe('cnv');
    expect(formatFromFilename('fusions.txt')).toBe('fusion');
    expect(formatFromFilename('notes.txt')).toBeUndefined();
  });
});

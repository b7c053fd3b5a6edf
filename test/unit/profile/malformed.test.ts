/**
 * Malformed inputs a lab might send: each must give an InvalidInputError whose
 * details name the line (and the field where there is one) and say what was expected.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createGeneResolver } from '../../../server/profile/genes.ts';
import type { ReadOptions } from '../../../server/profile/types.ts';
import type { ProfileSource } from '../../../server/profile/io.ts';
import { fixture, readAll, readError, text } from './helpers.ts';
import { bgzf } from '../../helpers/bgzf.ts';
import { BGZF_EOF } from '../../../server/domain/bgzf.ts';

const vep = readFileSync(fixture('vep-csq.vcf'), 'utf8');
const vepLines = vep.split('\n');
const chromLine = vepLines.findIndex((l) => l.startsWith('#CHROM'));

interface Case {
  name: string;
  source: ProfileSource;
  options?: ReadOptions;
  line: number;
  path?: string | RegExp;
  message: RegExp;
}

const cases: Case[] = [
  { name: 'empty file', source: text('', 'empty.vcf'), line: 1, message: /empty/ },
  {
    name: 'truncated VCF header (no #CHROM line)',
    source: text(vepLines.slice(0, 6).join('\n'), 'cut.vcf'),
    line: 6,
    path: 'header',
    message: /without the "#CHROM POS ID REF ALT QUAL FILTER INFO" column line/,
  },
  {
    name: 'VCF header cut in the middle: a record before the #CHROM line',
    source: text([...vepLines.slice(0, 5), ...vepLines.slice(chromLine + 1)].join('\n'), 'cut.vcf'),
    line: 6,
    path: 'header',
    message: /data record comes before/,
  },
  {
    name: 'VCF column line with a wrong column',
    source: text(vep.replace('#CHROM\tPOS\tID\tREF', '#CHROM\tPOS\tREF\tID'), 'x.vcf'),
    line: chromLine + 1,
    path: 'header',
    message: /column 3 is "REF" where ID was expected/,
  },
  {
    name: 'VCF record with too few columns',
    source: text(vep.replace(/\n(chr7\t140753336[^\n]*)/, '\nchr7\t140753336\t.\tA\tT'), 'x.vcf'),
    line: chromLine + 2,
    message: /expected 12 columns|expected at least 8/,
  },
  {
    name: 'VCF record with spaces instead of tabs',
    source: text(vep.replace(/\n(chr7\t140753336[^\n]*)/, (_, l: string) => `\n${l.replaceAll('\t', '  ')}`), 'x.vcf'),
    line: chromLine + 2,
    message: /separated by spaces, not tabs/,
  },
  {
    name: 'VCF record with a non-numeric POS',
    source: text(vep.replace('chr7\t140753336\t', 'chr7\t14O753336\t'), 'x.vcf'),
    line: chromLine + 2,
    path: 'POS',
    message: /POS must be a positive whole number/,
  },
  {
    name: 'VCF with a bad meta-information line',
    source: text(vep.replace('##FILTER=<ID=LowQual', '##FILTER <ID=LowQual'), 'x.vcf'),
    line: 3,
    path: 'header',
    message: /"##key=value"/,
  },
  {
    name: 'MAF without required columns',
    source: text('Gene\tVariant_Classification\tHGVSp_Short\nKRAS\tMissense_Mutation\tp.G12D\n', 'x.maf'),
    line: 1,
    path: 'header',
    message: /needs the columns Hugo_Symbol and Tumor_Sample_Barcode; missing Tumor_Sample_Barcode/,
  },
  {
    name: 'MAF with a bad protein change',
    source: text('Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nKRAS\tS1\tp.G12D\nBRAF\tS1\tp.Vxx600Glu\n', 'x.maf'),
    line: 3,
    path: 'HGVSp_Short',
    message: /"p\.Vxx600Glu" is not a protein change/,
  },
  {
    name: 'MAF with an invalid OncoTree code',
    source: text('Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\tONCOTREE_CODE\nKRAS\tS1\tp.G12D\tlung cancer\n', 'x.maf'),
    line: 2,
    path: 'ONCOTREE_CODE',
    message: /not an OncoTree code/,
  },
  {
    name: 'unknown gene with a strict resolver',
    source: text('BRAF V600E\nNOTAGENE1 V600E\n'),
    options: { genes: createGeneResolver(undefined, { strict: true }) },
    line: 2,
    message: /unknown gene symbol "NOTAGENE1"/,
  },
  { name: 'bad protein change in text', source: text('EGFR L858R\nBRAF V600Z'), line: 2, message: /"V600Z" is not a protein change/ },
  { name: 'binary garbage', source: Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x13, 0x37, 0x42, 0x00]), line: 1, message: /binary data/ },
  { name: 'an Excel file', source: Buffer.from('PK\u0003\u0004 rest of a zip', 'latin1'), options: { filename: 'variants.xlsx' }, line: 1, message: /export the sheet as tab-separated text/ },
  {
    name: 'a truncated gzip file',
    source: gzipSync(Buffer.from(vep)).subarray(0, 600),
    options: { filename: 'cut.vcf.gz' },
    line: 0,
    message: /truncated/,
  },
  {
    // Cut after a whole block, a BGZF file unpacks without a fault, only shorter: its end-of-file block is missing.
    name: 'a BGZF file cut at a block boundary',
    source: bgzf(vep, 97).subarray(0, -BGZF_EOF.length),
    options: { filename: 'cut.vcf.gz' },
    line: 0,
    message: /ends without the end-of-file block that bgzip writes, so it was cut short/,
  },
  { name: 'JSON with a syntax error', source: text('{\n  "id": "c1",\n  "alterations": [\n    {"gene": "EGFR", "kind": "mutation",, "change": "L858R"}\n  ]\n}', 'c.json'), line: 4, message: /not valid JSON/ },
  {
    name: 'JSON profile with an unknown alteration kind',
    source: text('{"id": "c1", "alterations": [{"gene": "EGFR", "kind": "mutant", "change": "L858R"}]}', 'c.json'),
    line: 0,
    path: /alterations\.0/,
    message: /kind must be one of/,
  },
  {
    name: 'JSON methylation result without its value (a two-outcome test has no default)',
    source: text('{"id": "c1", "alterations": [{"gene": "MGMT", "kind": "methylation"}]}', 'c.json'),
    line: 0,
    path: /alterations\.0\.value/,
    message: /value is required for methylation: "methylated" or "unmethylated"/,
  },
  { name: 'copy-number table without a gene column', source: text('name\tvalue\nERBB2\t8\n'), options: { format: 'cnv' }, line: 1, path: 'header', message: /expected a gene column/ },
  { name: 'copy-number call that is not a call', source: text('gene\tcall\nERBB2\tAMP\nMET\tmaybe\n'), line: 3, path: 'call', message: /"maybe" is not a copy-number call/ },
  { name: 'copy-number segment table without gene coordinates', source: text('Chromosome\tStart\tEnd\tnMajor\tnMinor\n1\t1\t100\t1\t1\n', 'x.cna.tsv'), line: 1, path: 'header', message: /segment/ },
  { name: 'fusion table without fusion columns', source: text('a\tb\tc\n1\t2\t3\n'), options: { format: 'fusion' }, line: 1, path: 'header', message: /expected a fusion name column/ },
  { name: 'TMB that is not a number', source: text('TMB: lots'), line: 1, message: /TMB value "lots"/ },
];

describe('malformed inputs give errors a lab scientist can act on', () => {
  it('there are at least 15 of them', () => expect(cases.length).toBeGreaterThanOrEqual(15));
  it.each(cases)('$name', async ({ source, options, line, path, message }) => {
    const e = await readError(source, options);
    expect(e.code).toBe('invalid_input');
    const match = e.details.find((d) => message.test(d.message) || message.test(e.message));
    expect(match, `details: ${JSON.stringify(e.details)}`).toBeDefined();
    if (line > 0) expect(match!.line).toBe(line);
    if (path !== undefined) expect(match!.path).toMatch(path);
  });
});

describe('BGZF, the usual form of a clinical .vcf.gz', () => {
  it('reads a whole BGZF file of many blocks, and refuses one cut at any block boundary, not only just before its end', async () => {
    const whole = bgzf(vep, 97);
    const [r] = await readAll(whole, { filename: 'tumour.vcf.gz' });
    expect(r!.profile.alterations.length).toBeGreaterThan(0);
    // Each block of the test's BGZF holds 97 bytes of text: cut after the fifth, the tenth, and before the end block.
    const blockEnds: number[] = [];
    for (let at = 0; at < whole.length - BGZF_EOF.length; ) {
      at += whole.readUInt16LE(at + 16) + 1;
      blockEnds.push(at);
    }
    for (const end of [blockEnds[4]!, blockEnds[9]!, whole.length - BGZF_EOF.length]) {
      const e = await readError(whole.subarray(0, end), { filename: 'cut.vcf.gz' });
      expect(e.message).toBe('profile/read: the BGZF file is truncated');
      expect(e.details).toEqual([{ path: 'cut.vcf.gz', message: expect.stringMatching(/^it ends without the end-of-file block that bgzip writes/) }]);
    }
    // A plain gzip file (one member, no BC field) has no such block, and is read as before.
    expect((await readAll(gzipSync(Buffer.from(vep)), { filename: 'tumour.vcf.gz' }))[0]!.profile.alterations).toEqual(r!.profile.alterations);
  });
});

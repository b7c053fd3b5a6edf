import { describe, expect, it } from 'vitest';
import { MAX_TEXT_ITEMS, parseTextProfile, parseTextItem, splitItems } from '../../../server/profile/text.ts';
import { createGeneResolver } from '../../../server/profile/genes.ts';
import { InvalidInputError } from '../../../server/domain/errors.ts';

const genes = createGeneResolver();
const keys = (text: string) => parseTextProfile(text, { genes }).profile.alterations.map((a) => a.key);

describe('text profiles: every example of the issue reads to its canonical key', () => {
  const table: Array<[string, string]> = [
    ['BRAF V600E', 'BRAF:p.V600E'],
    ['BRAF p.Val600Glu', 'BRAF:p.V600E'],
    ['braf   v600e', 'BRAF:p.V600E'],
    ['BRAF p.(Val600Glu)', 'BRAF:p.V600E'],
    ['EGFR exon 19 deletion', 'EGFR:p.exon19del'],
    ['EGFR ex19del', 'EGFR:p.exon19del'],
    ['EGFR exon 20 insertion', 'EGFR:p.exon20ins'],
    ['EGFR E746_A750del', 'EGFR:p.E746_A750del'],
    ['EGFR p.Glu746_Ala750del', 'EGFR:p.E746_A750del'],
    ['EGFR L747_P753delinsS', 'EGFR:p.L747_P753delinsS'],
    ['EGFR L858R mutation', 'EGFR:p.L858R'],
    ['ERBB2 amp', 'ERBB2:amp'],
    ['ERBB2 amplification', 'ERBB2:amp'],
    ['ERBB2 Amplified', 'ERBB2:amp'],
    ['ERBB2-amplified', 'ERBB2:amp'],
    ['HER2 amplification', 'ERBB2:amp'],
    ['CDKN2A loss', 'CDKN2A:del'],
    ['CDKN2A deletion', 'CDKN2A:del'],
    ['CDKN2A homozygous deletion', 'CDKN2A:del'],
    ['EML4::ALK', 'EML4::ALK'],
    ['EML4-ALK fusion', 'EML4::ALK'],
    ['EML4-ALK', 'EML4::ALK'],
    ['EML4--ALK', 'EML4::ALK'],
    // FLT3-ITD is an event of FLT3, not a fusion with a gene "ITD"
    ['FLT3-ITD', 'FLT3:p.ITD'],
    ['FLT3 ITD', 'FLT3:p.ITD'],
    ['FLT3 internal tandem duplication', 'FLT3:p.ITD'],
    ['eml4 - alk fusion', 'EML4::ALK'],
    ['ALK fusion', 'ALK:fusion'],
    ['ALK rearrangement', 'ALK:fusion'],
    ['ALK-rearranged', 'ALK:fusion'],
    ['MET exon 14 skipping', 'MET:p.exon14skip'],
    ['METex14', 'MET:p.exon14skip'],
    ['MSI-H', 'MSI:high'],
    ['MSI high', 'MSI:high'],
    ['msi-h', 'MSI:high'],
    ['MSS', 'MSI:stable'],
    ['dMMR', 'MMR:deficient'],
    ['MMR deficient', 'MMR:deficient'],
    ['pMMR', 'MMR:proficient'],
    ['TMB 14.2', 'TMB:14.2'],
    ['TMB: 14.2 mut/Mb', 'TMB:14.2'],
    ['TMB 14,2', 'TMB:14.2'],
    ['TMB-high', 'TMB:high'],
    ['TMB high', 'TMB:high'],
    ['HRD', 'HRD:positive'],
    ['HRD positive', 'HRD:positive'],
    ['TP53 R213*', 'TP53:p.R213*'],
    ['TP53 p.Arg213Ter', 'TP53:p.R213*'],
    ['TP53 R213X', 'TP53:p.R213*'],
    ['BRCA2 p.Ser1982fs', 'BRCA2:p.S1982fs'],
    ['NKX2-1 amplification', 'NKX2-1:amp'],
    ['PD-L1 high', 'CD274:expr:high'],
    // HER2 as pathology reports it (ASCO/CAP scores): 3+ or 2+ with amplification is positive, 1+ or 2+ without is low
    ['HER2 IHC 3+', 'ERBB2:expr:high'],
    ['HER2 IHC 2+ ISH+', 'ERBB2:expr:positive'],
    ['HER2 IHC 2+ FISH amplified', 'ERBB2:expr:positive'],
    ['HER2 IHC 2+ ISH-', 'ERBB2:expr:low'],
    ['HER2 IHC 2+/FISH negative', 'ERBB2:expr:low'],
    ['HER2 2+ SISH not amplified', 'ERBB2:expr:low'],
    ['HER2 IHC 1+', 'ERBB2:expr:low'],
    // amplification by ISH makes it HER2-positive whatever the IHC score
    ['HER2 IHC 1+ ISH amplified', 'ERBB2:expr:positive'],
    ['HER2 IHC 0 FISH+', 'ERBB2:expr:positive'],
    ['HER2 low-expression', 'ERBB2:expr:low'],
    ['ERBB2 expression-low', 'ERBB2:expr:low'],
    ['ERBB2 IHC: 1+', 'ERBB2:expr:low'],
    ['HER2-low', 'ERBB2:expr:low'],
    ['HER2 low', 'ERBB2:expr:low'],
    ['HER2-ultralow', 'ERBB2:expr:ultralow'],
    ['HER2 ultra-low', 'ERBB2:expr:ultralow'],
    ['HER2 IHC 0', 'ERBB2:expr:negative'],
    ['HER2-negative', 'ERBB2:expr:negative'],
    // protein loss by immunohistochemistry, not the copy-number loss that "PTEN loss" is
    ['PTEN loss of expression', 'PTEN:expr:negative'],
    ['PTEN IHC loss', 'PTEN:expr:negative'],
    ['MTAP protein loss', 'MTAP:expr:negative'],
    ['C10orf54 amplification', 'VSIR:amp'],
    ['MLL fusion', 'KMT2A:fusion'],
    ['MGMT promoter methylation', 'MGMT:methylated'],
    ['MGMT promoter methylated', 'MGMT:methylated'],
    ['MGMT methylated', 'MGMT:methylated'],
    ['MGMT-methylated', 'MGMT:methylated'],
    ['MGMT-promoter-methylated', 'MGMT:methylated'],
    ['MGMT-unmethylated', 'MGMT:unmethylated'],
    ['MGMT hypermethylation', 'MGMT:methylated'],
    ['MGMT unmethylated', 'MGMT:unmethylated'],
    ['MGMT promoter unmethylated', 'MGMT:unmethylated'],
    ['MGMT methylation not detected', 'MGMT:unmethylated'],
    ['MLH1 promoter methylation', 'MLH1:methylated'],
    // canonical keys read back
    ['BRAF:p.V600E', 'BRAF:p.V600E'],
    ['ERBB2:amp', 'ERBB2:amp'],
    ['CDKN2A:del', 'CDKN2A:del'],
    ['ALK:fusion', 'ALK:fusion'],
    ['MSI:high', 'MSI:high'],
    ['TMB:14.2', 'TMB:14.2'],
    ['MGMT:methylated', 'MGMT:methylated'],
    ['MGMT:unmethylated', 'MGMT:unmethylated'],
    ['ERBB2:expr:ultralow', 'ERBB2:expr:ultralow'],
  ];
  it.each(table)('%s -> %s', (text, key) => {
    expect(keys(text)).toEqual([key]);
  });
});

describe('text profiles: lists, headers and notes', () => {
  it('reads the DESIGN §5 text form, separated by ; , and new lines', () => {
    expect(keys('EGFR L858R; ERBB2 amplification, EML4::ALK\nMSI-H;TMB 14.2')).toEqual([
      'EGFR:p.L858R',
      'ERBB2:amp',
      'EML4::ALK',
      'MSI:high',
      'TMB:14.2',
    ]);
  });
  it('takes id and tumour type from header lines, and --tumour overrides', () => {
    const r = parseTextProfile('id: case-7\ntumour: luad\n# a comment\nEGFR L858R', { genes });
    expect(r.profile.id).toBe('case-7');
    expect(r.profile.tumourType).toBe('LUAD');
    expect(parseTextProfile('tumour: luad\nEGFR L858R', { tumourType: 'NSCLC' }).profile.tumourType).toBe('NSCLC');
  });
  it('merges duplicates with a warning naming the line', () => {
    const r = parseTextProfile('BRAF V600E\nBRAF p.Val600Glu', { genes });
    expect(r.profile.alterations).toHaveLength(1);
    expect(r.warnings).toContainEqual(expect.objectContaining({ line: 2, message: expect.stringMatching(/more than once/) }));
  });
  /** The details of the error a text is refused with (fails the test if it is read). */
  const refusal = (text: string) => {
    try {
      parseTextProfile(text, { genes });
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      return (e as InvalidInputError).details;
    }
    throw new Error(`"${text}" was read`);
  };
  it('asks for the ISH result of an equivocal HER2 IHC 2+, naming the line', () => {
    expect(refusal('EGFR L858R\nHER2 IHC 2+')).toEqual([
      expect.objectContaining({ line: 2, path: '"HER2 IHC 2+"', message: expect.stringMatching(/HER2 IHC 2\+ is equivocal: add the ISH result/) }),
    ]);
  });
  it('says how a HER2-negative or IHC 0 result was read, and what HER2-low and -ultralow are', () => {
    for (const text of ['HER2 negative', 'HER2 IHC 0']) {
      const r = parseTextProfile(text, { genes });
      expect(r.warnings).toContainEqual(expect.objectContaining({ line: 1, message: expect.stringMatching(/read as no HER2 expression \(IHC 0\).*"HER2-low".*"HER2-ultralow"/) }));
    }
    // other genes' negative results need no such note
    expect(parseTextProfile('PTEN negative', { genes }).warnings).toEqual([]);
  });
  it('refuses HER2 underexpression, which says none of the HER2 results, and says what to write', () => {
    expect(refusal('HER2 underexpression')).toEqual([expect.objectContaining({ line: 1, message: expect.stringMatching(/does not say which HER2 result: write HER2-low/) })]);
  });
  it('says when a discordant IHC score with amplification by ISH was read as HER2-positive', () => {
    expect(parseTextProfile('HER2 IHC 1+ ISH amplified', { genes }).warnings).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/IHC 1\+ with amplification by ISH read as HER2-positive .*concordant/) }));
  });
  it('says when a HER2 IHC 2+ with amplification by ISH was read as HER2-positive', () => {
    expect(parseTextProfile('HER2 IHC 2+ ISH+', { genes }).warnings).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/read as HER2-positive/) }));
  });
  it('says when an alias was re-mapped', () => {
    const r = parseTextProfile('HER2 amp', { genes });
    expect(r.warnings[0]!.message).toMatch(/"HER2" read as ERBB2/);
  });
  it('reads VAF, copies and germline notes', () => {
    const r = parseTextProfile('KRAS G12D (VAF 23%); ERBB2 amplification (12 copies); BRCA2 p.R3052W germline', { genes });
    const [kras, erbb2, brca2] = r.profile.alterations;
    expect(kras!.vaf).toBeCloseTo(0.23);
    expect(erbb2!.key).toBe('ERBB2:amp');
    expect(brca2!.origin).toBe('germline');
  });
  it('lenient mode keeps what it understood and warns about the rest', () => {
    const r = parseTextProfile('BRAF V600E\nKRAS mutation', { genes, lenient: true });
    expect(r.profile.alterations.map((a) => a.key)).toEqual(['BRAF:p.V600E']);
    expect(r.warnings).toContainEqual(expect.objectContaining({ line: 2 }));
  });
  it('does not split decimal commas', () => {
    expect(splitItems('TMB 14,2, MSI-H').map((i) => i.item)).toEqual(['TMB 14,2', 'MSI-H']);
  });
  it('parseTextItem is pure and names the problem', () => {
    expect(parseTextItem('KRAS mutation')).toMatchObject({ ok: false, problem: expect.stringMatching(/protein change/) });
  });
});

describe('text profiles: a bound on the items', () => {
  it(`reads ${MAX_TEXT_ITEMS} items (repeats kept once), and refuses one more at once, naming its line`, () => {
    const items = Array.from({ length: MAX_TEXT_ITEMS }, (_, i) => `KRAS G${(i % 200) + 1}D`);
    const ok = parseTextProfile(items.join('\n'), { genes });
    expect(ok.profile.alterations).toHaveLength(200);
    // A header line counts as an item, a blank line not: the item past the limit is the last KRAS line.
    let error: unknown;
    try {
      parseTextProfile(`id: case-9\n\n${items.join('\n')}\nBRAF V600E; EGFR L858R`, { genes });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).details).toEqual([
      { line: MAX_TEXT_ITEMS + 2, message: expect.stringMatching(/^more than 20,000 items in one text profile \(a profile holds at most 5,000 alterations\): send the VCF or MAF itself/) },
    ]);
    expect(splitItems('A V1D\nB V2D\nC V3D', 1).map((i) => i.item)).toEqual(['A V1D', 'B V2D']);
    // Items on one line count one by one: a single line of many stops as soon.
    expect(splitItems('A V1D; B V2D; C V3D; D V4D', 2).map((i) => i.item)).toEqual(['A V1D', 'B V2D', 'C V3D']);
  });
});

describe('text profiles: errors name the line and the problem', () => {
  const cases: Array<[string, string, number, RegExp]> = [
    ['gene without a change', 'BRAF V600E\nKRAS mutation', 2, /does not say which change/],
    ['bad protein change', 'BRAF V600Z', 1, /"V600Z" is not a protein change/],
    ['gene alone', 'EGFR L858R\n\nCDKN2A', 3, /names a gene but no alteration/],
    ['TMB not a number', 'TMB lots', 1, /TMB value "lots"/],
    ['DNA notation only', 'EGFR c.2573T>G', 1, /DNA notation/],
    ['not a gene symbol', '12345 V600E', 1, /not a gene symbol|not an alteration/],
    ['bad VAF', 'KRAS G12D (VAF 150%)', 1, /VAF/],
    ['bad tumour type', 'tumour: lung cancer!\nEGFR L858R', 1, /not an OncoTree code/],
    ['bad case id', 'id: John Smith\nEGFR L858R', 1, /not a pseudonymous case ID/],
    // A negative result is never read as the alteration it names.
    ['a negative result', 'EGFR L858R\nBRAF V600E negative', 2, /reads as a negative result \("negative"\)/],
    ['a change not detected', 'EGFR T790M not detected', 1, /negative result \("not detected"\)/],
    ['FLT3-ITD negative', 'FLT3-ITD negative', 1, /negative result/],
    ['FLT3 ITD absent', 'FLT3 ITD absent', 1, /negative result \("absent"\)/],
    ['a change marked wild type', 'KRAS G12D wt', 1, /negative result \("wt"\)/],
  ];
  it.each(cases)('%s', (_name, text, line, message) => {
    let error: unknown;
    try {
      parseTextProfile(text, { genes });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    const details = (error as InvalidInputError).details;
    expect(details).toContainEqual(expect.objectContaining({ line, message: expect.stringMatching(message) }));
  });
  it('an empty text is refused', () => {
    expect(() => parseTextProfile('  \n # only a comment\n')).toThrow(/no alterations/);
  });
  it('binary garbage is refused as not text', () => {
    expect(() => parseTextProfile('\u001f\u008b\u0008\u0000garbage')).toThrow(/not text/);
  });
  it('every bad item is reported at once', () => {
    try {
      parseTextProfile('KRAS mutation\nBRAF V600Z\nEGFR L858R\nTMB lots');
      expect.unreachable();
    } catch (e) {
      expect((e as InvalidInputError).details.map((d) => d.line)).toEqual([1, 2, 4]);
    }
  });
});

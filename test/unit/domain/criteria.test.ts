import { describe, expect, it } from 'vitest';
import { criteriaToString, parseCriteria, CriteriaError } from '../../../server/domain/criteria.ts';

describe('biomarker criteria', () => {
  it.each([
    ['BRAF V600E', 'BRAF V600E'],
    ['BRAF p.Val600Glu', 'BRAF V600E'],
    ['KRAS G12', 'KRAS G12'],
    ['KRAS G12X', 'KRAS G12'],
    ['EGFR exon 19 deletion', 'EGFR exon 19 deletion'],
    ['EGFR exon 20 insertions', 'EGFR exon 20 insertion'],
    ['ERBB2 kinase-domain mutation', 'ERBB2 kinase-domain mutation'],
    ['ERBB2 amplification', 'ERBB2 amplification'],
    ['CDKN2A deletion', 'CDKN2A deletion'],
    ['ALK fusion', 'ALK fusion'],
    ['EML4::ALK fusion', 'EML4::ALK fusion'],
    ['BRCA1 loss-of-function', 'BRCA1 loss-of-function'],
    ['KRAS mutation', 'KRAS mutation'],
    ['MSI-H', 'MSI-H'],
    ['MGMT promoter methylation', 'MGMT promoter methylation'],
    ['MGMT methylation', 'MGMT promoter methylation'],
    ['MLH1 promoter hypermethylation', 'MLH1 promoter methylation'],
    ['dMMR', 'dMMR'],
    ['ERBB2 overexpression', 'ERBB2 overexpression'],
    ['ERBB2 positive', 'ERBB2 overexpression'],
    ['ERBB2 low expression', 'ERBB2 low expression'],
    ['ERBB2 low', 'ERBB2 low expression'],
    ['ERBB2 ultralow expression', 'ERBB2 ultralow expression'],
    ['ERBB2 ultra-low', 'ERBB2 ultralow expression'],
    ['PTEN loss of expression', 'PTEN loss of expression'],
    ['PTEN protein loss', 'PTEN loss of expression'],
    // `loss` alone stays the copy-number event
    ['PTEN loss', 'PTEN deletion'],
    ['TMB >= 10', 'TMB >= 10'],
    ['NTRK1/2/3 fusion', 'ANY [NTRK1 fusion; NTRK2 fusion; NTRK3 fusion]'],
    ['BRCA1/2 loss-of-function', 'ANY [BRCA1 loss-of-function; BRCA2 loss-of-function]'],
  ])('%s reads as %s', (src, canonical) => {
    expect(criteriaToString(parseCriteria(src))).toBe(canonical);
  });

  it('reads compounds as YAML maps', () => {
    const c = parseCriteria({ all: [{ any: ['EGFR L858R', 'EGFR exon 19 deletion'] }, { not: 'EGFR T790M' }] });
    expect(criteriaToString(c)).toBe('ALL [ANY [EGFR L858R; EGFR exon 19 deletion]; NOT [EGFR T790M]]');
  });

  it('uses the file gene for driver lists written without one', () => {
    expect(criteriaToString(parseCriteria('V600E', 'BRAF'))).toBe('BRAF V600E');
    expect(criteriaToString(parseCriteria('amplification', 'ERBB2'))).toBe('ERBB2 amplification');
  });

  it.each([
    ['', /empty/],
    ['BRAF banana', /not a criterion/],
    // a clinical "HER2-negative" includes HER2-low: the criteria do not take the word
    ['ERBB2 negative', /not a criterion/],
    [{ all: [] }, /non-empty list/],
    [{ some: ['A'] }, /unknown compound/],
    [{ all: ['BRAF V600E'], any: ['KRAS G12'] }, /exactly one/],
    [42, /a criterion is a string/],
  ])('rejects %j with a clear message', (src, message) => {
    expect(() => parseCriteria(src)).toThrow(CriteriaError);
    expect(() => parseCriteria(src)).toThrow(message);
  });
});

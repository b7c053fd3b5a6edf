import { describe, expect, it } from 'vitest';
import { normaliseAlteration } from '../../../server/domain/alteration.ts';
import { parseCriteria } from '../../../server/domain/criteria.ts';
import { evaluateCriteria, prepareGraph, classifyDriver } from '../../../server/scoring/index.ts';
import { makeKb } from '../../helpers/kb.ts';

const kb = makeKb([
  { gene: 'KRAS', drivers: { oncogenic: ['G12', 'G13', 'Q61'] } },
  { gene: 'ERBB2', domains: { kinase: [720, 987] }, drivers: { oncogenic: ['amplification'] } },
  { gene: 'EGFR', exons: { '19': [729, 761], '20': [762, 823] } },
  { gene: 'BRCA2', role: 'tsg' },
  { gene: 'ALK', drivers: { oncogenic: ['fusion'] } },
  { gene: 'FLT3', domains: { juxtamembrane: [572, 603], kinase: [610, 943] }, itd: 'juxtamembrane', drivers: { oncogenic: ['juxtamembrane-domain mutation'] } },
  { gene: 'KIT', domains: { juxtamembrane: [550, 592] } },
]);
const index = prepareGraph(kb);
const ctx = { genes: index.genes, driverOf: (a: ReturnType<typeof normaliseAlteration>) => classifyDriver(index, a) };
const alt = (x: unknown) => normaliseAlteration(x);
const meets = (criteria: unknown, ...alts: unknown[]) => evaluateCriteria(parseCriteria(criteria), alts.map(alt), ctx);

describe('criteria matching', () => {
  it.each([
    ['KRAS G12', { gene: 'KRAS', kind: 'mutation', change: 'G12D' }, 'position'],
    ['KRAS activating mutation', { gene: 'KRAS', kind: 'mutation', change: 'G12D' }, 'category'],
    ['KRAS mutation', { gene: 'KRAS', kind: 'mutation', change: 'A11V' }, 'gene'],
    ['EGFR exon 19 deletion', { gene: 'EGFR', kind: 'mutation', change: 'L747_P753delinsS' }, 'category'],
    ['EGFR exon 20 insertion', { gene: 'EGFR', kind: 'mutation', change: 'A767_V769dup' }, 'category'],
    ['ERBB2 kinase-domain mutation', { gene: 'ERBB2', kind: 'mutation', change: 'L755S' }, 'category'],
    ['BRCA2 loss-of-function', { gene: 'BRCA2', kind: 'mutation', change: 'E1493fs' }, 'gene'],
    ['BRCA2 loss-of-function', { gene: 'BRCA2', kind: 'deletion' }, 'gene'],
    ['ALK fusion', { gene: 'ALK', kind: 'fusion', partner: 'EML4' }, 'exact'],
    ['EML4::ALK fusion', { gene: 'EML4', kind: 'fusion', partner: 'ALK' }, 'exact'],
    ['MSI-H', { kind: 'signature', name: 'MMR', value: 'deficient' }, 'exact'],
    ['TMB >= 10', { kind: 'signature', name: 'TMB', value: 14.2 }, 'exact'],
    // FLT3-ITD as fragment analysis reports it (no residues), and as sequencing does (with them)
    ['FLT3 juxtamembrane-domain mutation', { gene: 'FLT3', kind: 'mutation', change: 'ITD' }, 'category'],
    ['FLT3 juxtamembrane-domain mutation', { gene: 'FLT3', kind: 'mutation', change: 'D600_L601insFREYEYD' }, 'category'],
    ['FLT3 ITD', { gene: 'FLT3', kind: 'mutation', change: 'internal tandem duplication' }, 'exact'],
    ['MGMT promoter methylation', { gene: 'MGMT', kind: 'methylation', value: 'methylated' }, 'exact'],
    ['ERBB2 overexpression', { gene: 'ERBB2', kind: 'expression', value: 'high' }, 'exact'],
    ['ERBB2 overexpression', { gene: 'ERBB2', kind: 'expression', value: 'positive' }, 'exact'],
    ['ERBB2 low expression', { gene: 'ERBB2', kind: 'expression', value: 'low' }, 'exact'],
    ['ERBB2 ultralow expression', { gene: 'ERBB2', kind: 'expression', value: 'ultralow' }, 'exact'],
    ['PTEN loss of expression', { gene: 'PTEN', kind: 'expression', value: 'negative' }, 'exact'],
  ])('%s is met by %j (%s)', (criteria, a, how) => {
    const r = meets(criteria, a);
    expect(r.met).toBe(true);
    expect(r.anchor?.how).toBe(how);
  });

  it.each([
    ['KRAS G12C', { gene: 'KRAS', kind: 'mutation', change: 'G12D' }],
    ['KRAS activating mutation', { gene: 'KRAS', kind: 'mutation', change: 'A11V' }],
    ['EGFR exon 19 deletion', { gene: 'EGFR', kind: 'mutation', change: 'A767_V769dup' }],
    ['BRCA2 loss-of-function', { gene: 'BRCA2', kind: 'mutation', change: 'V2466A' }],
    ['EML4::ALK fusion', { gene: 'ALK', kind: 'fusion', partner: 'KIF5B' }],
    ['TMB >= 10', { kind: 'signature', name: 'TMB', value: 9.9 }],
    ['MSI-H', { kind: 'signature', name: 'MSI', value: 'stable' }],
    ['ERBB2 amplification', { gene: 'ERBB2', kind: 'mutation', change: 'L755S' }],
    // an ITD without residues lies only in the domain its gene file names; KIT's file names none
    ['FLT3 kinase-domain mutation', { gene: 'FLT3', kind: 'mutation', change: 'ITD' }],
    ['KIT juxtamembrane-domain mutation', { gene: 'KIT', kind: 'mutation', change: 'ITD' }],
    ['FLT3 D835', { gene: 'FLT3', kind: 'mutation', change: 'ITD' }],
    // an unmethylated promoter is the assay's negative result, and methylation is no expression level
    ['MGMT promoter methylation', { gene: 'MGMT', kind: 'methylation', value: 'unmethylated' }],
    ['MGMT promoter methylation', { gene: 'MGMT', kind: 'expression', value: 'low' }],
    ['MGMT overexpression', { gene: 'MGMT', kind: 'methylation', value: 'methylated' }],
    ['MLH1 promoter methylation', { gene: 'MGMT', kind: 'methylation', value: 'methylated' }],
    // each expression level is its own result: HER2-positive, -low, -ultralow and 0 never stand in for each other
    ['ERBB2 overexpression', { gene: 'ERBB2', kind: 'expression', value: 'low' }],
    ['ERBB2 low expression', { gene: 'ERBB2', kind: 'expression', value: 'high' }],
    ['ERBB2 low expression', { gene: 'ERBB2', kind: 'expression', value: 'ultralow' }],
    ['ERBB2 low expression', { gene: 'ERBB2', kind: 'expression', value: 'negative' }],
    ['ERBB2 ultralow expression', { gene: 'ERBB2', kind: 'expression', value: 'low' }],
    ['ERBB2 ultralow expression', { gene: 'ERBB2', kind: 'expression', value: 'negative' }],
    ['ERBB2 low expression', { gene: 'ERBB2', kind: 'amplification' }],
    ['PTEN loss of expression', { gene: 'PTEN', kind: 'deletion' }],
    ['PTEN loss of expression', { gene: 'PTEN', kind: 'expression', value: 'low' }],
  ])('%s is not met by %j', (criteria, a) => {
    expect(meets(criteria, a).met).toBe(false);
  });

  it('evaluates compounds over the whole profile', () => {
    const c = { all: ['KRAS G12', { not: 'EGFR exon 19 deletion' }] };
    expect(meets(c, { gene: 'KRAS', kind: 'mutation', change: 'G12C' }).met).toBe(true);
    expect(meets(c, { gene: 'KRAS', kind: 'mutation', change: 'G12C' }, { gene: 'EGFR', kind: 'mutation', change: 'E746_A750del' }).met).toBe(false);
  });
});

describe('driver classification', () => {
  it.each([
    [{ gene: 'KRAS', kind: 'mutation', change: 'G12D' }, 'oncogenic'],
    [{ gene: 'KRAS', kind: 'mutation', change: 'A11V' }, 'unknown'],
    [{ gene: 'BRCA2', kind: 'mutation', change: 'E1493fs' }, 'likely'],
    [{ gene: 'BRCA2', kind: 'deletion' }, 'likely'],
    [{ gene: 'ERBB2', kind: 'amplification' }, 'oncogenic'],
    [{ gene: 'NOTAGENE1', kind: 'mutation', change: 'V600E' }, 'unknown'],
    [{ kind: 'signature', name: 'MSI', value: 'high' }, 'oncogenic'],
    [{ kind: 'signature', name: 'TMB', value: 3 }, 'unknown'],
  ])('%j is %s', (a, cls) => {
    expect(classifyDriver(index, alt(a))).toBe(cls);
  });
});

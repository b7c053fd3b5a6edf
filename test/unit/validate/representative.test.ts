import { describe, expect, it } from 'vitest';
import type { CivicEvidence } from '../../../server/opendata/civic.ts';
import { prepareGraph } from '../../../server/scoring/index.ts';
import { categoryRepresentatives } from '../../../server/validate/representative.ts';
import { makeKb } from '../../helpers/kb.ts';

const kb = makeKb([
  {
    gene: 'KIT',
    role: 'oncogene',
    exons: { '9': [449, 514], '11': [550, 592] },
    domains: { kinase: [589, 937] },
    drivers: { oncogenic: ['exon 11 mutation', 'exon 9 mutation', 'D816'], likely: ['kinase-domain mutation'] },
  },
  { gene: 'BRCA2', role: 'tsg' },
]);
const index = prepareGraph(kb);

let line = 1;
const rec = (gene: string, variant: string): CivicEvidence =>
  ({
    line: line++,
    file: 'x.tsv',
    layout: '2021',
    id: line,
    kind: 'evidence',
    gene,
    variant,
    profile: `${gene} ${variant}`,
    disease: 'x',
    doid: '',
    therapies: [],
    interaction: '',
    type: 'Predictive',
    direction: 'Supports',
    level: 'C',
    significance: 'Sensitivity/Response',
    citationId: '1',
    sourceType: 'PubMed',
    status: 'accepted',
    nctIds: [],
    statement: '',
  }) as CivicEvidence;

const records = [
  rec('KIT', 'D816V'),
  rec('KIT', 'D816V'),
  rec('KIT', 'D816V'),
  rec('KIT', 'V560D'),
  rec('KIT', 'V560D'),
  rec('KIT', 'W557_K558DELWK'),
  rec('KIT', 'A502_Y503DUP'),
  rec('KIT', 'EXON 11 MUTATION'),
  rec('BRCA2', 'D3095E'),
  rec('BRCA2', 'K3226*'),
];
const rep = categoryRepresentatives(records, index);

describe('validate/representative: what a category item stands for in a patient', () => {
  it('KIT exon 11 mutation stands for the most cited exact change inside exon 11, not the most cited KIT change', () => {
    expect(rep('KIT', 'KIT exon 11 mutation')).toBe('V560D');
    expect(rep('KIT', 'KIT exon 9 mutation')).toBe('A502_Y503dup');
  });

  it('BRCA2 loss of function stands for a truncating change, never a variant of unknown significance', () => {
    expect(rep('BRCA2', 'BRCA2 loss-of-function')).toBe('K3226*');
  });

  it('a category no cited change meets has no representative', () => {
    expect(rep('KIT', 'KIT exon 13 mutation')).toBeUndefined();
    expect(rep('FLT3', 'FLT3 kinase-domain mutation')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { competitionRank, evaluateItem } from '../../../server/validate/run.ts';
import type { ValidationItem } from '../../../server/validate/types.ts';
import { rankTherapies } from '../../../server/scoring/index.ts';
import { identityGenes } from '../../../server/domain/alteration.ts';
import { makeKb } from '../../helpers/kb.ts';

const kb = makeKb(
  [
    {
      gene: 'EGFR',
      drivers: { oncogenic: ['L858R', 'T790M'] },
      evidence: [
        { id: 'e1', biomarker: 'EGFR L858R', therapy: 'erlotinib', tumour: 'NSCLC', level: 'phase3' },
        { id: 'e2', biomarker: 'EGFR T790M', therapy: 'erlotinib', tumour: 'NSCLC', level: 'phase3', direction: 'resistance' },
        { id: 'e3', biomarker: 'EGFR T790M', therapy: 'osimertinib', tumour: 'NSCLC', level: 'phase3' },
      ],
    },
  ],
  { drugs: [{ name: 'cetuximab' }] },
);
const drugs = new Set(['erlotinib', 'osimertinib', 'cetuximab']);
const rank = (p: Parameters<typeof rankTherapies>[1]) => rankTherapies(kb, p);
const item = (over: Partial<ValidationItem>): ValidationItem => ({
  id: 'x',
  line: 2,
  level: 'B',
  direction: 'sensitivity',
  label: 'EGFR L858R',
  disease: 'NSCLC',
  drugsGiven: ['Erlotinib'],
  drugs: ['erlotinib'],
  tumour: 'LUAD',
  alterations: [{ kind: 'mutation', gene: 'EGFR', change: 'L858R' }],
  ...over,
});

describe('validate/run: scoring one reference item', () => {
  it('EGFR L858R with erlotinib in lung adenocarcinoma is found at rank 1', () => {
    const o = evaluateItem(item({}), rank, identityGenes, drugs);
    expect(o).toMatchObject({ rank: 1, hit1: true, hit3: true, hit10: true });
    expect(o.miss).toBeUndefined();
  });

  it('EGFR T790M makes erlotinib flagged as resistance', () => {
    const o = evaluateItem(item({ direction: 'resistance', label: 'EGFR T790M', alterations: [{ kind: 'mutation', gene: 'EGFR', change: 'T790M' }] }), rank, identityGenes, drugs);
    expect(o.flagged).toBe(true);
  });

  it('names the reason of each miss', () => {
    const notInKb = evaluateItem(item({ drugsGiven: ['Cetuximab'], drugs: ['cetuximab'] }), rank, identityGenes, drugs);
    expect(notInKb.miss?.reason).toBe('biomarker not in the knowledge base');
    const unknownDrug = evaluateItem(item({ drugsGiven: ['Mystery'], drugs: [undefined] }), rank, identityGenes, drugs);
    expect(unknownDrug.miss).toEqual({ reason: 'biomarker not in the knowledge base', detail: 'drug not in the knowledge base: Mystery' });
    const wrong = evaluateItem(item({ label: 'EGFR T790M', alterations: [{ kind: 'mutation', gene: 'EGFR', change: 'T790M' }] }), rank, identityGenes, drugs);
    expect(wrong.miss?.reason).toBe('wrong direction');
    const unmapped = evaluateItem(item({ unmapped: { reason: 'tumour type not mapped', detail: 'no code' } }), rank, identityGenes, drugs);
    expect(unmapped.miss?.reason).toBe('tumour type not mapped');
  });

  it('ranks are competition ranks: equally scored therapies share the best rank of their tie', () => {
    const list = [{ score: 100 }, { score: 100 }, { score: 100 }, { score: 100 }, { score: 90 }, { score: 90 }, { score: 3 }];
    expect(list.map((_t, i) => competitionRank(list, i))).toEqual([1, 1, 1, 1, 5, 5, 7]);
    // a therapy listed above with a lower score (inference below direct evidence) does not push it down
    expect(competitionRank([{ score: 1 }, { score: 2 }], 1)).toBe(1);
  });

  it('a fourth equally approved drug is found at 3 (competition rank 1)', () => {
    const tied = makeKb(
      [
        {
          gene: 'EGFR',
          drivers: { oncogenic: ['L858R'] },
          evidence: ['erlotinib', 'gefitinib', 'afatinib', 'osimertinib', 'dacomitinib'].map((d, i) => ({
            id: `t${i}`,
            biomarker: 'EGFR L858R',
            therapy: d,
            tumour: 'NSCLC',
            level: 'phase3',
          })),
        },
      ],
      {},
    );
    for (const d of ['erlotinib', 'gefitinib', 'afatinib', 'osimertinib', 'dacomitinib']) {
      const o = evaluateItem(item({ drugsGiven: [d], drugs: [d] }), (p) => rankTherapies(tied, p), identityGenes, new Set([d]));
      expect(o).toMatchObject({ rank: 1, hit1: true, hit3: true });
    }
  });

  it('a regimen is found through the partner drugs (backbone) a supporting study gave the therapy with, and only through those', () => {
    const her2 = makeKb(
      [
        {
          gene: 'ERBB2',
          drivers: { oncogenic: ['amplification'] },
          evidence: [
            // (the fixture's tumour types are lung, bowel and skin; the rule does not depend on the tumour)
            { id: 'cleopatra-like', biomarker: 'ERBB2 amplification', therapy: ['pertuzumab', 'trastuzumab'], tumour: 'NSCLC', level: 'phase3', backbone: [['docetaxel']] },
            { id: 'single-agent', biomarker: 'ERBB2 amplification', therapy: 'trastuzumab', tumour: 'NSCLC', level: 'phase2' },
            // a study in another tumour type: its regimen is not this tumour's
            { id: 'toga-like', biomarker: 'ERBB2 amplification', therapy: 'trastuzumab', tumour: 'COADREAD', level: 'phase3', backbone: [['cisplatin', 'capecitabine']] },
          ],
        },
      ],
      { drugs: [{ name: 'docetaxel' }, { name: 'paclitaxel' }, { name: 'cisplatin' }, { name: 'capecitabine' }] },
    );
    const amp = { label: 'ERBB2 AMPLIFICATION', tumour: 'LUAD', alterations: [{ kind: 'amplification' as const, gene: 'ERBB2' }] };
    const known = new Set(['pertuzumab', 'trastuzumab', 'docetaxel', 'paclitaxel', 'cisplatin', 'capecitabine']);
    const r = (p: Parameters<typeof rankTherapies>[1]) => rankTherapies(her2, p);
    const triplet = evaluateItem(item({ ...amp, drugsGiven: ['Docetaxel', 'Trastuzumab', 'Pertuzumab'], drugs: ['docetaxel', 'trastuzumab', 'pertuzumab'] }), r, identityGenes, known);
    expect(triplet).toMatchObject({ hit3: true, therapy: 'pertuzumab + trastuzumab', withBackbone: ['docetaxel'] });
    // another partner than the study's is not the study's regimen
    const other = evaluateItem(item({ ...amp, drugsGiven: ['Paclitaxel', 'Trastuzumab', 'Pertuzumab'], drugs: ['paclitaxel', 'trastuzumab', 'pertuzumab'] }), r, identityGenes, known);
    expect(other.hit10).toBe(false);
    expect(other.miss?.reason).toBe('biomarker not in the knowledge base');
    // the reference must name the whole partner and one of the therapy's own drugs
    const partnerOnly = evaluateItem(item({ ...amp, drugsGiven: ['Docetaxel'], drugs: ['docetaxel'] }), r, identityGenes, known);
    expect(partnerOnly.hit10).toBe(false);
    const elsewhere = evaluateItem(item({ ...amp, drugsGiven: ['Trastuzumab', 'Cisplatin', 'Capecitabine'], drugs: ['trastuzumab', 'cisplatin', 'capecitabine'] }), r, identityGenes, known);
    expect(elsewhere.hit10).toBe(false);
    // nor a partial partner: capecitabine without cisplatin
    const partial = evaluateItem(item({ ...amp, drugsGiven: ['Trastuzumab', 'Capecitabine'], drugs: ['trastuzumab', 'capecitabine'] }), r, identityGenes, known);
    expect(partial.hit10).toBe(false);
    // the therapy's own drugs still match without a partner
    const doublet = evaluateItem(item({ ...amp, drugsGiven: ['Trastuzumab'], drugs: ['trastuzumab'] }), r, identityGenes, known);
    expect(doublet).toMatchObject({ rank: 1, hit1: true });
    expect(doublet.withBackbone).toBeUndefined();
  });

  it('a drug class is found through the best therapy holding one drug of the class, and flagged the same way', () => {
    const tki = [{ name: 'Epidermal Growth Factor Receptor Tyrosine Kinase Inhibitor', drugs: ['erlotinib', 'osimertinib'] }];
    const found = evaluateItem(item({ drugsGiven: [tki[0]!.name], drugs: [], unknownDrugs: [], drugClasses: tki }), rank, identityGenes, drugs);
    expect(found).toMatchObject({ rank: 1, hit3: true, therapy: 'erlotinib' });
    // T790M: erlotinib carries the negative part, osimertinib the positive one
    const t790m = { label: 'EGFR T790M', alterations: [{ kind: 'mutation' as const, gene: 'EGFR', change: 'T790M' }] };
    const sens = evaluateItem(item({ ...t790m, drugsGiven: [tki[0]!.name], drugs: [], unknownDrugs: [], drugClasses: tki }), rank, identityGenes, drugs);
    expect(sens).toMatchObject({ hit3: true, therapy: 'osimertinib' });
    const res = evaluateItem(item({ ...t790m, direction: 'resistance', drugsGiven: [tki[0]!.name], drugs: [], unknownDrugs: [], drugClasses: tki }), rank, identityGenes, drugs);
    expect(res).toMatchObject({ flagged: true, therapy: 'erlotinib' });
    // a class none of whose drugs the ranking reaches is a biomarker not in the knowledge base
    const anti = [{ name: 'Anti-EGFR Monoclonal Antibody', drugs: ['cetuximab'] }];
    const miss = evaluateItem(item({ drugsGiven: [anti[0]!.name], drugs: [], unknownDrugs: [], drugClasses: anti }), rank, identityGenes, drugs);
    expect(miss.miss).toEqual({ reason: 'biomarker not in the knowledge base', detail: 'no evidence links this alteration to Anti-EGFR Monoclonal Antibody (any)' });
  });
});

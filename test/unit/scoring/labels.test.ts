/**
 * A drug whose label names a tumour type without asking for a biomarker (drugs.yaml `labelled`) is on-label for
 * every biomarker in that type and the types under it, by that agency only, and only while its score is positive
 * and nothing makes it not-recommended. On the shipped knowledge base: temozolomide in glioblastoma.
 */
import { describe, expect, it } from 'vitest';
import { normaliseProfile } from '../../../server/domain/profile.ts';
import { createEngine } from '../../../server/engine.ts';
import { rankTherapies } from '../../../server/scoring/index.ts';
import { makeKb } from '../../helpers/kb.ts';

const profile = (tumourType: string | undefined, ...alterations: unknown[]) => normaliseProfile({ id: 't', tumourType, alterations });
const mut = (gene: string, change: string) => ({ gene, kind: 'mutation', change });

const kb = makeKb(
  [
    {
      gene: 'EGFR',
      drivers: { oncogenic: ['T854A', 'L861Q'] },
      evidence: [
        { id: 'chemo', biomarker: 'EGFR T854A', therapy: 'chemo-x', level: 'retrospective' as const, tumour: 'LUAD' },
        { id: 'combo', biomarker: 'EGFR T854A', therapy: ['chemo-x', 'drug-y'], level: 'retrospective' as const, tumour: 'LUAD' },
        { id: 'chemo-r', biomarker: 'EGFR L861Q', therapy: 'chemo-x', level: 'phase3' as const, tumour: 'LUAD', direction: 'resistance' as const },
      ],
    },
  ],
  { drugs: [{ name: 'chemo-x', approved: ['FDA', 'EMA'], labelled: [{ agency: 'FDA', tumours: ['NSCLC'] }] }, { name: 'drug-y', approved: ['FDA'] }] },
);
const classOf = (tumour: string | undefined, options: Parameters<typeof rankTherapies>[2] = {}, change = 'T854A', id = 'chemo-x') =>
  rankTherapies(kb, profile(tumour, mut('EGFR', change)), options).therapies.find((t) => t.id === id)?.class;

describe('drugs labelled for a tumour type without a biomarker', () => {
  it('are on-label in that type and the types under it, by that agency', () => {
    expect(classOf('NSCLC')).toBe('on-label');
    expect(classOf('LUAD')).toBe('on-label');
    expect(classOf('LUSC')).toBe('on-label');
    // Elsewhere, or by another agency, the approval is for something else.
    expect(classOf('SCLC')).toBe('off-label');
    expect(classOf('LUNG')).toBe('off-label');
    expect(classOf('COADREAD')).toBe('off-label');
    expect(classOf(undefined)).toBe('off-label');
    expect(classOf('NOT-A-CODE')).toBe('off-label');
    expect(classOf('LUAD', { agency: 'EMA' })).toBe('off-label');
    // The tiers follow the evidence, as before.
    expect(rankTherapies(kb, profile('LUAD', mut('EGFR', 'T854A'))).therapies.find((t) => t.id === 'chemo-x')!.tier).toBe('II-A');
  });

  it('say which label makes the therapy on-label: the agency and the labelled tumour type nearest the profile\'s', () => {
    const therapy = (tumour: string | undefined, options: Parameters<typeof rankTherapies>[2] = {}) =>
      rankTherapies(kb, profile(tumour, mut('EGFR', 'T854A')), options).therapies.find((t) => t.id === 'chemo-x')!;
    expect(therapy('LUAD').labelled).toEqual([{ drug: 'chemo-x', agency: 'FDA', tumour: 'NSCLC' }]);
    expect(therapy('NSCLC').labelled).toEqual([{ drug: 'chemo-x', agency: 'FDA', tumour: 'NSCLC' }]);
    // Not on-label through a label: no reason to give, and the field is absent (the JSON keeps its usual shape).
    for (const t of [therapy('COADREAD'), therapy('LUAD', { agency: 'EMA' }), therapy(undefined)]) {
      expect(t.class).toBe('off-label');
      expect('labelled' in t).toBe(false);
    }
    // The nearest labelled type: a label for LUAD and one for NSCLC answer LUAD with LUAD, LUSC with NSCLC.
    const two = makeKb(
      [{ gene: 'EGFR', drivers: { oncogenic: ['T854A'] }, evidence: [{ id: 'e', biomarker: 'EGFR T854A', therapy: 'chemo-x', level: 'retrospective' as const, tumour: 'NSCLC' }] }],
      { drugs: [{ name: 'chemo-x', approved: ['FDA'], labelled: [{ agency: 'FDA', tumours: ['NSCLC', 'LUAD'] }] }] },
    );
    const tumourOf = (code: string) => rankTherapies(two, profile(code, mut('EGFR', 'T854A'))).therapies[0]!.labelled?.[0]?.tumour;
    expect(tumourOf('LUAD')).toBe('LUAD');
    expect(tumourOf('LUSC')).toBe('NSCLC');
  });

  it('keep naming the labels of a therapy lifted by a randomised comparison', () => {
    const lifted = makeKb(
      [
        {
          gene: 'BRAF',
          drivers: { oncogenic: ['V600E'] },
          evidence: [
            { id: 'a-1', biomarker: 'BRAF V600E', therapy: 'drug-a', level: 'phase3' as const, tumour: 'LUAD' },
            { id: 'a-2', biomarker: 'BRAF V600E', therapy: 'drug-a', level: 'phase2' as const, tumour: 'LUAD' },
            { id: 'ab', biomarker: 'BRAF V600E', therapy: ['drug-a', 'drug-b'], level: 'phase3' as const, tumour: 'LUAD', superiorTo: [['drug-a']] },
          ],
        },
      ],
      {
        drugs: [
          { name: 'drug-a', approved: ['FDA'], labelled: [{ agency: 'FDA', tumours: ['NSCLC'] }] },
          { name: 'drug-b', approved: ['FDA'], labelled: [{ agency: 'FDA', tumours: ['NSCLC', 'LUAD'] }] },
        ],
      },
    );
    const combo = rankTherapies(lifted, profile('LUAD', { gene: 'BRAF', kind: 'mutation', change: 'V600E' })).therapies.find((t) => t.drugs.length === 2)!;
    expect(combo.evidence.some((e) => e.superiority)).toBe(true);
    expect(combo.class).toBe('on-label');
    expect(combo.labelled).toEqual([
      { drug: 'drug-a', agency: 'FDA', tumour: 'NSCLC' },
      { drug: 'drug-b', agency: 'FDA', tumour: 'LUAD' },
    ]);
  });

  it('name no label when an approval among the evidence makes the therapy on-label', () => {
    const approved = makeKb(
      [{ gene: 'EGFR', drivers: { oncogenic: ['T854A'] }, evidence: [{ id: 'a', biomarker: 'EGFR T854A', therapy: 'chemo-x', level: 'approved' as const, approvals: [{ agency: 'FDA' as const, year: 2020 }], tumour: 'LUAD' }] }],
      { drugs: [{ name: 'chemo-x', approved: ['FDA'], labelled: [{ agency: 'FDA', tumours: ['NSCLC'] }] }] },
    );
    const t = rankTherapies(approved, profile('LUAD', mut('EGFR', 'T854A'))).therapies[0]!;
    expect(t.class).toBe('on-label');
    expect(t.labelled).toBeUndefined();
  });

  it('need every drug of a combination labelled, a positive score, and nothing that makes them not-recommended', () => {
    const combo = rankTherapies(kb, profile('LUAD', mut('EGFR', 'T854A'))).therapies.find((t) => t.drugs.length === 2)!;
    expect(combo.drugs).toEqual(['chemo-x', 'drug-y']);
    expect(combo.class).toBe('off-label');
    expect(classOf('LUAD', {}, 'L861Q')).toBe('not-recommended');
  });

  it('answer each tumour type its own way when rankings share the same therapy score', () => {
    // Evidence in NSCLC reaches LUAD and LUSC alike (related): the same shared contribution, labelled in LUAD only.
    const shared = makeKb(
      [{ gene: 'EGFR', drivers: { oncogenic: ['T854A'] }, evidence: [{ id: 'nsclc', biomarker: 'EGFR T854A', therapy: 'chemo-z', level: 'retrospective' as const, tumour: 'NSCLC' }] }],
      { drugs: [{ name: 'chemo-z', approved: ['FDA'], labelled: [{ agency: 'FDA', tumours: ['LUAD'] }] }] },
    );
    const ranked = ['LUAD', 'LUSC', 'LUAD', 'LUSC'].map((tumour) => rankTherapies(shared, profile(tumour, mut('EGFR', 'T854A'))).therapies.find((t) => t.id === 'chemo-z')!);
    expect(ranked[1]!.evidence[0]).toBe(ranked[0]!.evidence[0]);
    expect(ranked.map((t) => t.class)).toEqual(['on-label', 'off-label', 'on-label', 'off-label']);
  });

  it('do not make a therapy reached only from variants of unknown significance on-label', () => {
    const vus = makeKb(
      [{ gene: 'EGFR', evidence: [{ id: 'gene-level', biomarker: 'EGFR mutation', therapy: 'chemo-x', level: 'retrospective' as const, tumour: 'LUAD' }] }],
      { drugs: [{ name: 'chemo-x', approved: ['FDA'], labelled: [{ agency: 'FDA', tumours: ['NSCLC'] }] }] },
    );
    const t = rankTherapies(vus, profile('LUAD', mut('EGFR', 'A11V'))).therapies.find((x) => x.id === 'chemo-x')!;
    expect(t.evidence[0]!.driver).toBe('unknown');
    expect(t.class).toBe('off-label');
  });

  it('are checked when the knowledge base is built: the agency must have approved the drug, the tumour type must exist', () => {
    const problems = (labelled: unknown) => {
      try {
        makeKb([], { drugs: [{ name: 'chemo-x', approved: ['FDA'], labelled } as never] });
        return [];
      } catch (e) {
        return ((e as { details?: Array<{ path?: string; message: string }> }).details ?? []).map((d) => `${d.path}: ${d.message}`);
      }
    };
    expect(problems([{ agency: 'EMA', tumours: ['LUAD'] }])).toEqual(['drugs.yaml: chemo-x: labelled: labelled by EMA: add EMA to approved']);
    expect(problems([{ agency: 'FDA', tumours: ['LUNGX'] }])).toEqual([
      'drugs.yaml: chemo-x: labelled: unknown tumour type "LUNGX": run `npx tsx scripts/tumour-types.ts` (it reads drugs.yaml too) to add it from OncoTree',
    ]);
    expect(problems([{ agency: 'FDA', tumours: ['TISSUE'] }])).toEqual(['drugs.yaml: chemo-x: labelled: TISSUE is every tumour type: a label names the tumour types it covers']);
    const build = (labelled: unknown) => () => makeKb([], { drugs: [{ name: 'chemo-x', approved: ['FDA'], labelled } as never] });
    expect(build([{ agency: 'FDA', tumours: ['LUAD'] }])).not.toThrow();
  });
});

describe('the shipped knowledge base', () => {
  const engine = createEngine();
  const rank = (tumourType: string, agency?: 'FDA' | 'EMA') =>
    engine.rank(normaliseProfile({ id: 'gb', tumourType, alterations: [{ gene: 'MGMT', kind: 'methylation', value: 'methylated' }] }), { agency });

  it('ranks temozolomide on-label in glioblastoma with MGMT promoter methylation, by either agency', () => {
    for (const agency of ['FDA', 'EMA'] as const) {
      const tmz = rank('GB', agency).therapies.find((t) => t.id === 'temozolomide')!;
      expect(tmz.class).toBe('on-label');
      expect(tmz.tier).toBe('I-A');
    }
    // Carmustine's brain-tumour labels (FDA BiCNU, EMA Carmustine medac).
    expect(rank('GB', 'FDA').therapies.find((t) => t.id === 'carmustine')!.class).toBe('on-label');
    expect(rank('GB', 'EMA').therapies.find((t) => t.id === 'carmustine')!.class).toBe('on-label');
    // Temozolomide's MGMT evidence is a guideline, not an approval: the label is the reason, and the result says so.
    expect(rank('GB', 'EMA').therapies.find((t) => t.id === 'temozolomide')!.labelled).toEqual([{ drug: 'temozolomide', agency: 'EMA', tumour: 'GB' }]);
  });

  it('labels pemetrexed in non-squamous lung cancer and doxorubicin in breast carcinoma, where evidence reaches them', () => {
    const rankOf = (tumourType: string, alterations: unknown[]) => engine.rank(normaliseProfile({ id: 'x', tumourType, alterations }));
    const alk = [{ kind: 'fusion', gene: 'EML4', partner: 'ALK' }];
    const pemetrexed = (tumour: string) => rankOf(tumour, alk).therapies.find((t) => t.id === 'pemetrexed')!;
    expect(pemetrexed('LUAD')).toMatchObject({ class: 'on-label', labelled: [{ drug: 'pemetrexed', agency: 'FDA', tumour: 'LUAD' }] });
    expect(pemetrexed('LCLC').class).toBe('on-label');
    // Squamous cell carcinoma is outside the label, and NSCLC holds it.
    expect(pemetrexed('LUSC').class).toBe('off-label');
    expect(pemetrexed('NSCLC').class).toBe('off-label');
    const doxorubicin = rankOf('BRCA', [{ kind: 'amplification', gene: 'TOP2A' }]).therapies.find((t) => t.id === 'doxorubicin')!;
    expect(doxorubicin).toMatchObject({ class: 'on-label', labelled: [{ drug: 'doxorubicin', agency: 'FDA', tumour: 'BRCA' }] });
  });

  it('labels temozolomide in grade 3 and 4 IDH-mutant astrocytoma, not in astrocytoma without a grade or oligodendroglioma', () => {
    for (const code of ['ASTR3', 'ASTR4', 'GSARC']) expect(rank(code).therapies.find((t) => t.id === 'temozolomide')!.class).toBe('on-label');
    for (const code of ['ASTR', 'ASTR2', 'ODG']) expect(rank(code).therapies.find((t) => t.id === 'temozolomide')!.class).toBe('off-label');
  });
});

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
  });

  it('labels temozolomide in grade 3 and 4 IDH-mutant astrocytoma, not in astrocytoma without a grade or oligodendroglioma', () => {
    for (const code of ['ASTR3', 'ASTR4', 'GSARC']) expect(rank(code).therapies.find((t) => t.id === 'temozolomide')!.class).toBe('on-label');
    for (const code of ['ASTR', 'ASTR2', 'ODG']) expect(rank(code).therapies.find((t) => t.id === 'temozolomide')!.class).toBe('off-label');
  });
});

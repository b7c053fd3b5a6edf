import { describe, expect, it } from 'vitest';
import { normaliseProfile } from '../../../server/domain/profile.ts';
import { rankTherapies, DEFAULTS, resolveOptions } from '../../../server/scoring/index.ts';
import { makeKb } from '../../helpers/kb.ts';

const profile = (tumourType: string | undefined, ...alterations: unknown[]) => normaliseProfile({ id: 't', tumourType, alterations });
const mut = (gene: string, change: string) => ({ gene, kind: 'mutation', change });

const egfr = {
  gene: 'EGFR',
  exons: { '19': [729, 761] as [number, number] },
  drivers: { oncogenic: ['L858R', 'T790M', 'exon 19 deletion'] },
  evidence: [
    { id: 'osi', biomarker: { any: ['EGFR L858R', 'EGFR exon 19 deletion'] }, therapy: 'osimertinib', level: 'approved' as const, approvals: [{ agency: 'FDA' as const, year: 2018 }] },
    { id: 'gef', biomarker: { all: ['EGFR L858R', { not: 'EGFR T790M' }] }, therapy: 'gefitinib', level: 'approved' as const, approvals: [{ agency: 'EMA' as const, year: 2009 }] },
    { id: 'gef-r', biomarker: 'EGFR T790M', therapy: 'gefitinib', level: 'guideline' as const, direction: 'resistance' as const },
    { id: 'osi-t790m', biomarker: 'EGFR T790M', therapy: 'osimertinib', level: 'phase3' as const },
  ],
};

describe('rankTherapies on a fixture knowledge base', () => {
  const kb = makeKb([egfr], { drugs: [{ name: 'gefitinib', approved: ['FDA', 'EMA'] }] });

  it('scores an approval for an exact match in the same tumour type at the full level weight', () => {
    const r = rankTherapies(kb, profile('LUAD', mut('EGFR', 'L858R')));
    const osi = r.therapies.find((t) => t.id === 'osimertinib')!;
    expect(osi.score).toBe(100);
    expect(osi.class).toBe('on-label');
    expect(osi.tier).toBe('I-A');
    expect(osi.oncokb).toBe('1');
    expect(osi.evidence[0]).toMatchObject({ variantMatch: 'exact', tumourMatch: 'same', driver: 'oncogenic', contribution: 100 });
  });

  it('an exon 19 deletion meets the category criterion through the exon ranges', () => {
    const r = rankTherapies(kb, profile('LUAD', mut('EGFR', 'E746_A750del')));
    const osi = r.therapies.find((t) => t.id === 'osimertinib')!;
    expect(osi.evidence[0]!.variantMatch).toBe('category');
    expect(osi.score).toBeCloseTo(100 * DEFAULTS.weights.variantMatch.category);
  });

  it('a compound NOT excludes the approval and resistance makes the therapy not-recommended', () => {
    const r = rankTherapies(kb, profile('LUAD', mut('EGFR', 'L858R'), mut('EGFR', 'T790M')));
    const gef = r.therapies.find((t) => t.id === 'gefitinib')!;
    expect(gef.evidence.map((e) => e.id)).toEqual(['gef-r']);
    expect(gef.positive).toBe(0);
    expect(gef.negative).toBe(-95);
    expect(gef.class).toBe('not-recommended');
    expect(gef.tier).toBe('X');
    expect(gef.oncokb).toBe('R1');
    expect(r.therapies[0]!.id).toBe('osimertinib');
  });

  it('on-label depends on the chosen agency', () => {
    const fda = rankTherapies(kb, profile('LUAD', mut('EGFR', 'L858R')), { agency: 'FDA' });
    const ema = rankTherapies(kb, profile('LUAD', mut('EGFR', 'L858R')), { agency: 'EMA' });
    expect(fda.therapies.find((t) => t.id === 'gefitinib')!.class).toBe('off-label');
    expect(ema.therapies.find((t) => t.id === 'gefitinib')!.class).toBe('on-label');
    expect(ema.therapies.find((t) => t.id === 'osimertinib')!.class).toBe('investigational');
  });

  it('weights evidence by tumour type through the hierarchy', () => {
    const at = (tt: string | undefined) => rankTherapies(kb, profile(tt, mut('EGFR', 'L858R'))).therapies.find((t) => t.id === 'osimertinib')!;
    expect(at('LUAD').evidence[0]!.tumourMatch).toBe('same');
    expect(at('SCLC').evidence[0]!.tumourMatch).toBe('related');
    expect(at('COAD').evidence[0]!.tumourMatch).toBe('other');
    expect(at('COAD').class).toBe('off-label');
    expect(at(undefined).evidence[0]!.tumourMatch).toBe('other');
  });

  it('a variant of unknown significance weighs 0.1 and is warned about when it matches nothing', () => {
    const r = rankTherapies(kb, profile('LUAD', mut('EGFR', 'A289V'), mut('TP53', 'R175H')));
    expect(r.therapies).toEqual([]);
    expect(r.alterations.map((a) => a.driver)).toEqual(['unknown', 'unknown']);
    expect(r.warnings.join('\n')).toMatch(/EGFR A289V.*matched no biomarker/);
    expect(r.warnings.join('\n')).toMatch(/TP53.*not in the knowledge base/);
  });

  it('puts the scoring version and the knowledge base in every result', () => {
    const r = rankTherapies(kb, profile('LUAD', mut('EGFR', 'L858R')));
    expect(r.scoring).toEqual({ version: '2', agency: 'FDA' });
    expect(r.kb).toEqual({ name: 'fixture', version: 'test', hash: 'sha256:fixture' });
  });
});

describe('diminishing returns within a (biomarker, direction) group', () => {
  const reports = Array.from({ length: 10 }, (_, i) => ({
    id: `case-${i}`, biomarker: 'BRAF V600E', therapy: 'drug-a', level: 'case-report' as const, tumour: 'MEL',
  }));
  const kb = makeKb([
    { gene: 'BRAF', drivers: { oncogenic: ['V600E'] }, evidence: [...reports, { id: 'approval', biomarker: 'BRAF V600E', therapy: 'drug-b', level: 'approved' as const, tumour: 'MEL', approvals: [{ agency: 'FDA' as const, year: 2011 }] }] },
  ]);

  it('ten case reports never outweigh one approval', () => {
    const r = rankTherapies(kb, profile('MEL', mut('BRAF', 'V600E')));
    const a = r.therapies.find((t) => t.id === 'drug-a')!;
    const b = r.therapies.find((t) => t.id === 'drug-b')!;
    expect(a.positive).toBeLessThan(2 * DEFAULTS.weights.level['case-report'] + 1e-9);
    expect(a.positive).toBeLessThan(b.positive);
    expect(a.evidence.map((e) => e.factors.diminishing)).toEqual(Array.from({ length: 10 }, (_, k) => 0.5 ** k));
  });

  it('the contributions listed add up to the reported sums', () => {
    const r = rankTherapies(kb, profile('MEL', mut('BRAF', 'V600E')));
    for (const t of r.therapies) {
      const pos = t.evidence.filter((e) => e.contribution > 0).reduce((s, e) => s + e.contribution, 0);
      expect(t.positive).toBeCloseTo(pos, 6);
      expect(t.score).toBeCloseTo(t.positive + t.negative, 6);
    }
  });

  it('weights are configurable through one options object', () => {
    const r = rankTherapies(kb, profile('MEL', mut('BRAF', 'V600E')), { weights: { level: { approved: 50 } } });
    expect(r.therapies.find((t) => t.id === 'drug-b')!.score).toBe(50);
    expect(resolveOptions({ weights: { level: { approved: 50 } } }).weights.level.phase3).toBe(90);
  });

  it("a deployment's own weights are resolved once, so its rankings share one pool of contributions", () => {
    const own = { weights: { level: { approved: 50 } }, inference: { maxHops: 2 } };
    // The engine passes its options spread with the agency of each request: the tables are the same objects.
    const a = resolveOptions({ ...own, agency: 'FDA' });
    const b = resolveOptions({ ...own, agency: 'EMA' });
    expect(a.weights).toBe(b.weights);
    expect(a.inference).toBe(b.inference);
    expect(Object.isFrozen(a.weights.level)).toBe(true);
    const p = profile('MEL', mut('BRAF', 'V600E'));
    const first = rankTherapies(kb, p, { ...own }).therapies.find((t) => t.id === 'drug-b')!.evidence[0];
    const again = rankTherapies(kb, p, { ...own }).therapies.find((t) => t.id === 'drug-b')!.evidence[0];
    expect(again).toBe(first);
    // Other weights are other tables, and another pool.
    expect(resolveOptions({ weights: { level: { approved: 50 } } }).weights).not.toBe(a.weights);
    expect(rankTherapies(kb, p, { weights: { level: { approved: 60 } } }).therapies.find((t) => t.id === 'drug-b')!.score).toBe(60);
  });

  it('a shared therapy keeps the class decided under each not-recommended threshold and agency', () => {
    // One contribution only: gefitinib's phase-2 resistance in LUAD, which is decisive from phase 2 (the default) but not from phase 3.
    const kb2 = makeKb(
      [{ gene: 'EGFR', drivers: { oncogenic: ['T854A'] }, evidence: [{ id: 'gef-r2', biomarker: 'EGFR T854A', therapy: 'gefitinib', level: 'phase2' as const, direction: 'resistance' as const }] }],
      { drugs: [{ name: 'gefitinib', approved: ['FDA'] }] },
    );
    const p = profile('LUAD', mut('EGFR', 'T854A'));
    const cls = (options: Parameters<typeof rankTherapies>[2]) => rankTherapies(kb2, p, options).therapies.find((t) => t.id === 'gefitinib')!.class;
    const sequence = [{}, { notRecommendedMinLevel: 'phase3' as const }, {}, { notRecommendedMinLevel: 'phase3' as const }, { agency: 'EMA' as const, notRecommendedMinLevel: 'phase3' as const }, { notRecommendedMinLevel: 'phase3' as const }];
    expect(sequence.map(cls)).toEqual(['not-recommended', 'off-label', 'not-recommended', 'off-label', 'investigational', 'off-label']);
  });
});

describe('tumour-specific evidence', () => {
  it('counts in its tumour type and those related to it, never in an unrelated one', () => {
    const item = { id: 'del17p-drug-x', biomarker: 'TP53 loss-of-function', therapy: 'drug-x', tumour: 'LUAD', level: 'approved' as const, approvals: [{ agency: 'FDA' as const, year: 2020 }] };
    const kb = (tumourSpecific?: true) => makeKb([{ gene: 'TP53', role: 'tsg', evidence: [{ ...item, ...(tumourSpecific ? { tumourSpecific } : {}) }] }]);
    const p = (tumour: string) => profile(tumour, mut('TP53', 'R213*'));
    const ids = (k: ReturnType<typeof makeKb>, tumour: string) => rankTherapies(k, p(tumour)).therapies.map((t) => [t.id, t.evidence[0]!.tumourMatch]);
    expect(ids(kb(true), 'LUAD')).toEqual([['drug-x', 'same']]);
    expect(ids(kb(true), 'NSCLC')).toEqual([['drug-x', 'related']]);
    expect(ids(kb(true), 'COADREAD')).toEqual([]);
    // without the flag, an approval in another tumour type counts, at its factor
    expect(ids(kb(), 'COADREAD')).toEqual([['drug-x', 'other']]);
  });
});

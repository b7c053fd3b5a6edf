/**
 * Randomised comparisons (`superiorTo`): a therapy that beat a control arm in a
 * randomised trial ranks at least as high as it for the same profile, as one
 * explained contribution, without changing class or tier.
 */
import { describe, expect, it } from 'vitest';
import { KnowledgeBaseError } from '../../../server/domain/errors.ts';
import { normaliseProfile } from '../../../server/domain/profile.ts';
import {
  classifyTherapy, escatTier, explainTherapy, oncoKbLevel, prepareGraph, rankTherapies, resolveOptions,
} from '../../../server/scoring/index.ts';
import { makeKb, type FixtureGene } from '../../helpers/kb.ts';

const profile = (tumourType: string, ...alterations: unknown[]) => normaliseProfile({ id: 't', tumourType, alterations });
const v600e = { gene: 'BRAF', kind: 'mutation', change: 'V600E' };
const FDA = [{ agency: 'FDA' as const, year: 2015 }];
type Item = NonNullable<FixtureGene['evidence']>[number];

/** Melanoma in miniature: vemurafenib holds more items than the combination that beat it (coBRIM). */
function braf(extra: Item[] = [], overrides: Partial<Item> = {}) {
  return makeKb(
    [
      {
        gene: 'BRAF',
        drivers: { oncogenic: ['V600E'], likely: ['V600K'] },
        evidence: [
          { id: 'vem-approved', biomarker: 'BRAF V600E', therapy: 'vemurafenib', tumour: 'MEL', level: 'approved', approvals: FDA },
          { id: 'vem-phase2', biomarker: 'BRAF V600E', therapy: 'vemurafenib', tumour: 'MEL', level: 'phase2' },
          { id: 'vem-basket', biomarker: 'BRAF V600E', therapy: 'vemurafenib', tumour: 'TISSUE', level: 'phase2' },
          {
            id: 'cobrim', biomarker: 'BRAF V600E', therapy: ['vemurafenib', 'cobimetinib'], tumour: 'MEL', level: 'approved', approvals: FDA,
            superiorTo: [['vemurafenib']], ...overrides,
          },
          ...extra,
        ],
      },
    ],
    { drugs: [{ name: 'vemurafenib', approved: ['FDA'] }, { name: 'cobimetinib', approved: ['FDA'] }] },
  );
}

/** An EGFR L858R knowledge base of the given items (NSCLC trials in miniature). */
const egfr = (evidence: Item[]) => makeKb([{ gene: 'EGFR', drivers: { oncogenic: ['L858R'] }, evidence }]);

describe('a randomised comparison (superiorTo)', () => {
  it('lifts the winner to the comparator it beat, as one explained contribution', () => {
    const r = rankTherapies(braf(), profile('MEL', v600e));
    const vem = r.therapies.find((t) => t.id === 'vemurafenib')!;
    const combo = r.therapies.find((t) => t.id === 'cobimetinib + vemurafenib')!;
    expect(vem.positive).toBe(100 + 40 + 0.95 * 80 * 0.25); // 159
    expect(combo.positive).toBe(vem.positive);
    expect(r.therapies.map((t) => t.id).slice(0, 2)).toEqual(['cobimetinib + vemurafenib', 'vemurafenib']);
    const lift = combo.evidence.find((e) => e.superiority)!;
    expect(lift).toMatchObject({
      id: 'superior-to:vemurafenib',
      contribution: 59,
      superiority: { evidence: 'cobrim', comparator: 'vemurafenib', ownPositive: 100, comparatorPositive: 159 },
    });
    expect(lift.statement).toMatch(/^Beat vemurafenib in the randomised trial of cobrim/);
    expect(lift.sources).toEqual(combo.evidence.find((e) => e.id === 'cobrim')!.sources);
    // The contributions still add up to the sums.
    expect(combo.evidence.reduce((s, e) => s + e.contribution, 0)).toBeCloseTo(combo.positive, 9);
  });

  it('applies from a related tumour type, and keeps class and tier: the lift orders the ranking only', () => {
    const r = rankTherapies(braf([], { level: 'phase3', approvals: undefined }), profile('SKIN', v600e));
    const vem = r.therapies.find((t) => t.id === 'vemurafenib')!;
    const combo = r.therapies.find((t) => t.id === 'cobimetinib + vemurafenib')!;
    expect(vem.positive).toBe(80 + 38 + 16); // related 0.8, the basket 0.95, diminishing
    expect(combo.positive).toBe(vem.positive);
    // Phase 3 in a related tumour type: off-label, III-A, 3B, as without the lift.
    expect(combo).toMatchObject({ class: 'off-label', tier: 'III-A', oncokb: '3B' });
  });

  it('a lift contribution never decides the class, tier or level, whatever it says', () => {
    const kb = braf();
    const index = prepareGraph(kb);
    const base = rankTherapies(kb, profile('MEL', v600e)).therapies.find((t) => t.id === 'cobimetinib + vemurafenib')!;
    const other = { ...base.evidence.find((e) => e.id === 'cobrim')!, id: 'elsewhere', tumourMatch: 'other' as const, contribution: 50 };
    const lift = { ...base.evidence.find((e) => e.superiority)!, tumourMatch: 'same' as const, contribution: 500 };
    const t = { therapy: { type: 'therapy' as const, id: base.id, drugs: base.drugs }, positive: 550, negative: 0, score: 550, evidence: [lift, other], alterations: base.alterations };
    const cls = classifyTherapy(index, t, resolveOptions(), 'MEL');
    expect(cls).toBe('off-label');
    expect(escatTier(t, cls)).toBe('III-A');
    expect(oncoKbLevel(t, cls)).toBe('3B');
  });

  it('does not apply from a variant of unknown significance, from another tumour type, or to a not-recommended therapy', () => {
    const vus = rankTherapies(braf(), profile('MEL', { gene: 'BRAF', kind: 'mutation', change: 'V600E' }, { gene: 'BRAF', kind: 'mutation', change: 'A1V' }));
    expect(vus.therapies.find((t) => t.id === 'cobimetinib + vemurafenib')!.positive).toBe(159); // the V600E still applies
    const unknownOnly = rankTherapies(braf([], { biomarker: 'BRAF mutation' }), profile('MEL', { gene: 'BRAF', kind: 'mutation', change: 'A1V' }));
    expect(unknownOnly.therapies.find((t) => t.id === 'cobimetinib + vemurafenib')!.evidence.some((e) => e.superiority)).toBe(false);

    const elsewhere = rankTherapies(braf(), profile('COADREAD', v600e));
    expect(elsewhere.therapies.find((t) => t.id === 'cobimetinib + vemurafenib')!.evidence.some((e) => e.superiority)).toBe(false);

    const resisted = rankTherapies(
      braf([{ id: 'combo-resistance', biomarker: 'BRAF V600E', therapy: ['vemurafenib', 'cobimetinib'], tumour: 'MEL', level: 'guideline', direction: 'resistance' }]),
      profile('MEL', v600e),
    );
    const combo = resisted.therapies.find((t) => t.id === 'cobimetinib + vemurafenib')!;
    expect(combo.class).toBe('not-recommended');
    expect(combo.positive).toBe(100);
    expect(combo.evidence.some((e) => e.superiority)).toBe(false);
  });

  it('carries only the positive part: the winner keeps its own resistance in full', () => {
    const r = rankTherapies(
      braf([{ id: 'combo-r', biomarker: 'BRAF V600E', therapy: ['vemurafenib', 'cobimetinib'], tumour: 'MEL', level: 'retrospective', direction: 'resistance' }]),
      profile('MEL', v600e),
    );
    const combo = r.therapies.find((t) => t.id === 'cobimetinib + vemurafenib')!;
    expect(combo.positive).toBe(159);
    expect(combo.negative).toBe(-25);
    expect(combo.score).toBe(134);
  });

  it('settles chains: A beat B, B beat C, with C the strongest on its own', () => {
    const kb = egfr([
      { id: 'c1', biomarker: 'EGFR L858R', therapy: 'cc', tumour: 'NSCLC', level: 'approved', approvals: FDA },
      { id: 'c2', biomarker: 'EGFR L858R', therapy: 'cc', tumour: 'NSCLC', level: 'phase2' },
      { id: 'b1', biomarker: 'EGFR L858R', therapy: 'bb', tumour: 'NSCLC', level: 'phase3', superiorTo: [['cc']] },
      { id: 'a1', biomarker: 'EGFR L858R', therapy: 'aa', tumour: 'NSCLC', level: 'phase3', superiorTo: [['bb']] },
    ]);
    const r = rankTherapies(kb, profile('LUAD', { gene: 'EGFR', kind: 'mutation', change: 'L858R' }));
    expect(r.therapies.map((t) => [t.id, t.score])).toEqual([['aa', 140], ['bb', 140], ['cc', 140]]);
    const a = r.therapies[0]!.evidence.find((e) => e.superiority)!;
    expect(a.superiority).toMatchObject({ comparator: 'bb', ownPositive: 90, comparatorPositive: 140 });
    expect(a.statement).toMatch(/raised by a randomised comparison in turn/);
  });

  it('chooses the strongest of several control arms (FLAURA: gefitinib or erlotinib)', () => {
    const kb = egfr([
      { id: 'gef', biomarker: 'EGFR L858R', therapy: 'gefitinib', tumour: 'NSCLC', level: 'approved', approvals: FDA },
      { id: 'erl', biomarker: 'EGFR L858R', therapy: 'erlotinib', tumour: 'NSCLC', level: 'approved', approvals: FDA },
      { id: 'erl2', biomarker: 'EGFR L858R', therapy: 'erlotinib', tumour: 'NSCLC', level: 'phase3' },
      { id: 'flaura', biomarker: 'EGFR L858R', therapy: 'osimertinib', tumour: 'NSCLC', level: 'phase3', superiorTo: [['gefitinib'], ['erlotinib']] },
    ]);
    const r = rankTherapies(kb, profile('LUAD', { gene: 'EGFR', kind: 'mutation', change: 'L858R' }));
    const osi = r.therapies.find((t) => t.id === 'osimertinib')!;
    expect(osi.positive).toBe(145);
    expect(osi.evidence.filter((e) => e.superiority).map((e) => e.superiority!.comparator)).toEqual(['erlotinib']);
    expect(r.therapies[0]!.id).toBe('osimertinib');
  });

  it('never lowers a winner that already ranks above the comparator', () => {
    const kb = braf([{ id: 'combo-more', biomarker: 'BRAF V600E', therapy: ['vemurafenib', 'cobimetinib'], tumour: 'MEL', level: 'approved', approvals: FDA }]);
    const combo = rankTherapies(kb, profile('MEL', v600e)).therapies.find((t) => t.id === 'cobimetinib + vemurafenib')!;
    expect(combo.positive).toBe(159); // 100 + 50 of its own, lifted to vemurafenib's 159
    const kb2 = braf([
      { id: 'combo-more', biomarker: 'BRAF V600E', therapy: ['vemurafenib', 'cobimetinib'], tumour: 'MEL', level: 'approved', approvals: FDA },
      { id: 'combo-more2', biomarker: 'BRAF V600E', therapy: ['vemurafenib', 'cobimetinib'], tumour: 'MEL', level: 'approved', approvals: FDA },
    ]);
    const combo2 = rankTherapies(kb2, profile('MEL', v600e)).therapies.find((t) => t.id === 'cobimetinib + vemurafenib')!;
    expect(combo2.positive).toBe(175);
    expect(combo2.evidence.some((e) => e.superiority)).toBe(false);
  });

  it("counts only the comparator's support on the trial's alterations, not its evidence for another alteration", () => {
    // Vemurafenib also holds an item for a second alteration of the profile; coBRIM was about BRAF V600E only.
    const kb = makeKb(
      [
        {
          gene: 'BRAF',
          drivers: { oncogenic: ['V600E'] },
          evidence: [
            { id: 'vem-approved', biomarker: 'BRAF V600E', therapy: 'vemurafenib', tumour: 'MEL', level: 'approved', approvals: FDA },
            { id: 'cobrim', biomarker: 'BRAF V600E', therapy: ['vemurafenib', 'cobimetinib'], tumour: 'MEL', level: 'phase3', superiorTo: [['vemurafenib']] },
          ],
        },
        { gene: 'MET', drivers: { oncogenic: ['amplification'] }, evidence: [{ id: 'vem-met', biomarker: 'MET amplification', therapy: 'vemurafenib', tumour: 'MEL', level: 'phase2' }] },
      ],
      { drugs: [{ name: 'vemurafenib', approved: ['FDA'] }, { name: 'cobimetinib', approved: ['FDA'] }] },
    );
    const r = rankTherapies(kb, profile('MEL', v600e, { gene: 'MET', kind: 'amplification' }));
    const vem = r.therapies.find((t) => t.id === 'vemurafenib')!;
    const combo = r.therapies.find((t) => t.id === 'cobimetinib + vemurafenib')!;
    expect(vem.positive).toBe(180); // 100 on V600E, 80 on the MET amplification (its own group)
    expect(combo.positive).toBe(100); // lifted from 90 to vemurafenib's 100 on V600E, not to its 180
    expect(combo.evidence.find((e) => e.superiority)!.superiority).toMatchObject({ ownPositive: 90, comparatorPositive: 100 });
    expect(r.therapies.map((t) => t.id).slice(0, 2)).toEqual(['vemurafenib', 'cobimetinib + vemurafenib']);
  });

  it('does not carry a trial to a sibling tumour type of the same organ, and orders only the pairs a win connects', () => {
    const kb = egfr([
      { id: 'gef', biomarker: 'EGFR L858R', therapy: 'gefitinib', tumour: 'NSCLC', level: 'approved', approvals: FDA },
      { id: 'afa', biomarker: 'EGFR L858R', therapy: 'afatinib', tumour: 'NSCLC', level: 'approved', approvals: FDA },
      { id: 'daco', biomarker: 'EGFR L858R', therapy: 'dacomitinib', tumour: 'NSCLC', level: 'approved', approvals: FDA, superiorTo: [['gefitinib']] },
    ]);
    const l858r = { gene: 'EGFR', kind: 'mutation', change: 'L858R' };
    // Small cell lung cancer shares the organ with NSCLC (a related type) but is not the trial's population.
    const sclc = rankTherapies(kb, profile('SCLC', l858r));
    expect(sclc.therapies.some((t) => t.evidence.some((e) => e.superiority))).toBe(false);
    expect(sclc.therapies.map((t) => t.id)).toEqual(['afatinib', 'dacomitinib', 'gefitinib']); // the usual order of a tie
    // In the trial's tumour type the three tie at 100: dacomitinib lists above gefitinib, which it beat, and
    // nothing else moves (afatinib, which it never faced, stays first).
    const luad = rankTherapies(kb, profile('LUAD', l858r));
    expect(luad.therapies.map((t) => [t.id, t.score])).toEqual([['afatinib', 100], ['dacomitinib', 100], ['gefitinib', 100]]);
    const swapped = egfr([
      { id: 'afa', biomarker: 'EGFR L858R', therapy: 'afatinib', tumour: 'NSCLC', level: 'approved', approvals: FDA, superiorTo: [['gefitinib']] },
      { id: 'gef', biomarker: 'EGFR L858R', therapy: 'gefitinib', tumour: 'NSCLC', level: 'approved', approvals: FDA, superiorTo: [['dacomitinib']] },
      { id: 'daco', biomarker: 'EGFR L858R', therapy: 'dacomitinib', tumour: 'NSCLC', level: 'approved', approvals: FDA },
    ]);
    // A chain across the tie (afatinib > gefitinib > dacomitinib) reorders all three.
    expect(rankTherapies(swapped, profile('LUAD', l858r)).therapies.map((t) => t.id)).toEqual(['afatinib', 'gefitinib', 'dacomitinib']);
  });

  it('is drawn along the trial item in the explanation network', () => {
    const r = rankTherapies(braf(), profile('MEL', v600e));
    const ex = explainTherapy(r, 'cobimetinib + vemurafenib');
    const trial = ex.nodes.find((n) => n.id === 'evidence:cobrim')!;
    expect(trial).toMatchObject({ level: 'approved', contribution: 100, superiority: { comparator: 'vemurafenib', lift: 59 } });
    expect(ex.nodes.some((n) => n.id.startsWith('evidence:superior-to'))).toBe(false);
    expect(ex.links.find((l) => l.source === 'evidence:cobrim' && l.target === 'therapy:cobimetinib + vemurafenib')!.contribution).toBe(159);
  });
});

describe('the evidence check of superiorTo', () => {
  const check = (overrides: Partial<Item>, extraDrugs: string[] = []) => {
    try {
      makeKb(
        [
          {
            gene: 'BRAF',
            drivers: { oncogenic: ['V600E'] },
            evidence: [
              { id: 'vem', biomarker: 'BRAF V600E', therapy: 'vemurafenib', tumour: 'MEL', level: 'approved', approvals: FDA },
              { id: 'trial', biomarker: 'BRAF V600E', therapy: ['vemurafenib', 'cobimetinib'], tumour: 'MEL', level: 'phase3', ...overrides },
            ],
          },
        ],
        { drugs: extraDrugs.map((name) => ({ name })) },
      );
      return '';
    } catch (e) {
      if (!(e instanceof KnowledgeBaseError)) throw e;
      return e.details.map((d) => `${d.path}: ${d.message}`).join('\n');
    }
  };

  it('accepts a phase 3, approved or guideline sensitivity item naming a therapy of the knowledge base', () => {
    expect(check({ superiorTo: [['vemurafenib']] })).toBe('');
    expect(check({ superiorTo: [['vemurafenib']], level: 'guideline' })).toBe('');
  });

  it('rejects it on weaker levels, other directions, and naming the item and field', () => {
    expect(check({ superiorTo: [['vemurafenib']], level: 'phase2' })).toMatch(/^genes\/BRAF\.yaml item trial: superiorTo: .*only on phase3, approved or guideline items, not phase2/);
    expect(check({ superiorTo: [['vemurafenib']], direction: 'resistance' })).toMatch(/item trial: superiorTo: superiorTo only goes with direction: sensitivity/);
  });

  it('requires every drug in drugs.yaml, a therapy some item holds, and not the therapy itself', () => {
    expect(check({ superiorTo: [['wonderinib']] })).toMatch(/item trial: superiorTo: unknown drug "wonderinib": add it to drugs.yaml/);
    expect(check({ superiorTo: [['dacarbazine']] }, ['dacarbazine'])).toMatch(/item trial: superiorTo: control arm "dacarbazine" is not a therapy of the knowledge base/);
    expect(check({ superiorTo: [['cobimetinib', 'vemurafenib']] })).toMatch(/item trial: superiorTo\.0: a therapy cannot be superior to itself/);
    expect(check({ superiorTo: [] })).toMatch(/item trial: superiorTo: /);
    expect(check({ superiorTo: [[]] })).toMatch(/item trial: superiorTo\.0: superiorTo: each control arm lists at least one drug/);
  });
});

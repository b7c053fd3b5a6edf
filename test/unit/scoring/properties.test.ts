/**
 * Properties of the scoring model over generated knowledge bases and profiles
 * (fast-check): monotonicity in evidence, no VUS-driven recommendations,
 * order independence, finite scores, explanations that add up.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseProfile } from '../../../server/domain/profile.ts';
import { LEVELS, SUPERIORITY_LEVELS, type Level } from '../../../server/domain/knowledge.ts';
import { rankTherapies, explainTherapy, contributionPath, carriesComparison, prepareGraph } from '../../../server/scoring/index.ts';
import { FIXTURE_TUMOURS, makeKb, type FixtureGene } from '../../helpers/kb.ts';
import { rankResultJson } from '../../../server/domain/result-json.ts';

const BIOMARKERS: unknown[] = [
  'G1 V600E', 'G1 V600', 'G1 amplification', 'G1 mutation', 'G1 activating mutation', 'G2 loss-of-function', 'G3 activating mutation',
  'G3 fusion', { all: ['G1 V600E', { not: 'G2 loss-of-function' }] }, { any: ['G1 amplification', 'G3 fusion'] }, 'MSI-H', 'TMB >= 10',
];
const THERAPIES = ['da', 'db', 'dc', ['da', 'dc']];
const TUMOURS = FIXTURE_TUMOURS.map((t) => t.code);
const ALTERATIONS = [
  { gene: 'G1', kind: 'mutation', change: 'V600E' },
  { gene: 'G1', kind: 'mutation', change: 'V600K' },
  { gene: 'G1', kind: 'mutation', change: 'A5T' },
  { gene: 'G1', kind: 'amplification' },
  { gene: 'G2', kind: 'mutation', change: 'R10*' },
  { gene: 'G2', kind: 'deletion' },
  { gene: 'G2', kind: 'mutation', change: 'A20V' },
  { gene: 'G3', kind: 'mutation', change: 'K5N' },
  { gene: 'G3', kind: 'fusion', partner: 'G9' },
  { kind: 'signature', name: 'MSI', value: 'high' },
  { kind: 'signature', name: 'TMB', value: 12 },
];
const VUS = [ALTERATIONS[2], ALTERATIONS[6], ALTERATIONS[7]];

const ITEM = {
  biomarker: fc.constantFrom(...BIOMARKERS),
  therapy: fc.constantFrom(...THERAPIES),
  level: fc.constantFrom(...LEVELS.filter((l) => l !== 'approved')) as fc.Arbitrary<Level>,
  approved: fc.boolean(),
  direction: fc.constantFrom('sensitivity', 'resistance', 'no-benefit') as fc.Arbitrary<'sensitivity' | 'resistance' | 'no-benefit'>,
  tumour: fc.constantFrom(...TUMOURS),
  quality: fc.double({ min: 0, max: 1, noNaN: true }),
  /** The control arm a randomised trial beat (kept only where superiorTo is valid: strong sensitivity items). */
  beat: fc.option(fc.constantFrom(...THERAPIES), { nil: undefined }),
};
const item = fc.record(ITEM);
type Item = typeof item extends fc.Arbitrary<infer T> ? T : never;

const therapyKey = (t: string | string[]) => [t].flat().sort().join(' + ');

/** The superiorTo an item gets in kbOf: valid (phase 3 or stronger, sensitivity, another therapy) or none. */
function superiorToOf(x: Item): string[][] | undefined {
  const level = x.approved && x.direction === 'sensitivity' ? 'approved' : x.level;
  if (x.beat === undefined || x.direction !== 'sensitivity' || !SUPERIORITY_LEVELS.has(level)) return undefined;
  if (therapyKey(x.beat) === therapyKey(x.therapy)) return undefined;
  return [[x.beat].flat()];
}

/**
 * A control arm must be a therapy some item holds: every fixture therapy gets one item about a gene no
 * profile alters (G4), so that each superiorTo is valid and adding an item never switches another's on.
 */
const PLACEHOLDERS = THERAPIES.map((therapy, i) => ({ id: `held-${i}`, biomarker: 'G4 amplification', therapy, level: 'preclinical' as const, tumour: 'TISSUE' }));

/** `labelled`: drug db (targeting G3) carries a label without a biomarker for NSCLC, so a class can follow the tumour type alone. */
function kbOf(items: Item[], labelled = false) {
  const evidence = items.map((x, i) => {
    const superiorTo = superiorToOf(x);
    return {
      id: `e${i}`,
      biomarker: x.biomarker,
      therapy: x.therapy as string | string[],
      level: x.approved && x.direction === 'sensitivity' ? ('approved' as const) : x.level,
      ...(x.approved && x.direction === 'sensitivity' ? { approvals: [{ agency: 'FDA' as const, year: 2020 }] } : {}),
      direction: x.direction,
      tumour: x.tumour,
      quality: x.quality,
      ...(superiorTo ? { superiorTo } : {}),
    };
  });
  const genes: FixtureGene[] = [
    { gene: 'G1', role: 'oncogene', drivers: { oncogenic: ['V600E', 'V600K', 'amplification'] }, evidence: evidence.filter((e) => JSON.stringify(e.biomarker).includes('G1') && !JSON.stringify(e.biomarker).includes('G3')) },
    { gene: 'G2', role: 'tsg', evidence: evidence.filter((e) => JSON.stringify(e.biomarker).includes('G2') && !JSON.stringify(e.biomarker).includes('G1')) },
    { gene: 'G3', role: 'oncogene', drivers: { oncogenic: ['fusion'] }, evidence: evidence.filter((e) => JSON.stringify(e.biomarker).includes('G3')) },
    { gene: 'G4', role: 'other', evidence: PLACEHOLDERS },
  ];
  const signatures = evidence.filter((e) => !/G\d/.test(JSON.stringify(e.biomarker)));
  return makeKb(genes, { signatures, drugs: [{ name: 'da', targets: ['G1'], approved: ['FDA'] }, { name: 'db', targets: ['G3'], ...(labelled ? { approved: ['FDA' as const], labelled: [{ agency: 'FDA' as const, tumours: ['NSCLC'] }] } : {}) }, { name: 'dc', targets: ['G2'] }] });
}

const profileOf = (alts: unknown[], tumour: string) => normaliseProfile({ id: 'p', tumourType: tumour, alterations: alts });
const scores = (r: ReturnType<typeof rankTherapies>) => new Map(r.therapies.map((t) => [t.id, t.score]));

const items = fc.array(item, { maxLength: 25 });
const alts = fc.subarray(ALTERATIONS, { minLength: 1 });
const tumour = fc.constantFrom(...TUMOURS);
/**
 * Items that count and often name a control arm: the shared generator favours qualities near 0, which round to
 * nothing, so randomised comparisons rarely apply there. Used to exercise the superiorTo lift.
 */
const strongItem = fc.record({
  ...ITEM,
  quality: fc.double({ min: 0.2, max: 1, noNaN: true }),
  beat: fc.constantFrom(...THERAPIES),
  direction: fc.constantFrom('sensitivity', 'sensitivity', 'sensitivity', 'resistance', 'no-benefit'),
  level: fc.constantFrom('guideline', 'phase3', 'phase2', 'phase1', 'case-report'),
  tumour: fc.constantFrom('LUAD', 'NSCLC', 'LUSC', 'COADREAD', 'MEL'),
}) as fc.Arbitrary<Item>;
const strongItems = fc.array(strongItem, { maxLength: 16 });
const strongTumour = fc.constantFrom('LUAD', 'NSCLC', 'COADREAD', 'MEL');
const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) };

describe('scoring properties', () => {
  it.each([
    ['', items, item, tumour],
    [' (with randomised comparisons in play)', strongItems, strongItem, strongTumour],
  ] as const)('adding a resistance item never raises a therapy score%s', (_name, baseArb, extraArb, tumourArb) => {
    fc.assert(
      fc.property(baseArb, extraArb, alts, tumourArb, (base, extra, a, t) => {
        const before = scores(rankTherapies(kbOf(base), profileOf(a, t)));
        const after = scores(rankTherapies(kbOf([...base, { ...extra, direction: 'resistance', approved: false }]), profileOf(a, t)));
        for (const [id, s] of after) expect(s).toBeLessThanOrEqual((before.get(id) ?? 0) + 1e-6);
      }),
      RUNS,
    );
  });

  it.each([
    ['', items, item, tumour],
    [' (with randomised comparisons in play)', strongItems, strongItem, strongTumour],
  ] as const)('adding a sensitivity item never lowers a therapy score%s', (_name, baseArb, extraArb, tumourArb) => {
    fc.assert(
      fc.property(baseArb, extraArb, alts, tumourArb, (base, extra, a, t) => {
        const before = scores(rankTherapies(kbOf(base), profileOf(a, t)));
        const after = scores(rankTherapies(kbOf([...base, { ...extra, direction: 'sensitivity' }]), profileOf(a, t)));
        for (const [id, s] of before) expect(after.get(id)!).toBeGreaterThanOrEqual(s - 1e-6);
      }),
      RUNS,
    );
  });

  it('variants of unknown significance alone never yield an on-label therapy or a tier above IV', () => {
    fc.assert(
      fc.property(items, fc.subarray(VUS, { minLength: 1 }), tumour, (base, a, t) => {
        const r = rankTherapies(kbOf(base), profileOf(a, t));
        expect(r.alterations.every((x) => x.driver === 'unknown')).toBe(true);
        for (const th of r.therapies) {
          expect(th.class).not.toBe('on-label');
          expect(['IV', 'X']).toContain(th.tier);
          // The VUS weight (0.1) caps every item at a tenth of its level weight.
          for (const e of th.evidence) expect(Math.abs(e.contribution)).toBeLessThanOrEqual(10 + 1e-9);
        }
      }),
      RUNS,
    );
  });

  it.each([
    ['', items, tumour],
    [' (with randomised comparisons in play)', strongItems, strongTumour],
  ] as const)('the ranking does not depend on the order of alterations or evidence%s', (_name, baseArb, tumourArb) => {
    fc.assert(
      fc.property(baseArb, alts, tumourArb, fc.infiniteStream(fc.nat()), (base, a, t, seeds) => {
        const shuffle = <T,>(xs: T[]) => {
          const out = [...xs];
          for (let i = out.length - 1; i > 0; i--) {
            const j = seeds.next().value % (i + 1);
            [out[i], out[j]] = [out[j]!, out[i]!];
          }
          return out;
        };
        const withIds = base.map((x, i) => ({ ...x, i }));
        const r1 = rankTherapies(kbOf(base), profileOf(a, t));
        const shuffled = shuffle(withIds);
        // Keep evidence ids stable: rebuild in shuffled order with the original ids.
        const kb2 = kbOf(shuffled.map(({ i: _i, ...x }) => x));
        const idMap = new Map(shuffled.map((x, k) => [`e${k}`, `e${x.i}`]));
        const r2 = rankTherapies(kb2, profileOf(shuffle(a), t));
        const norm = (r: typeof r1, map?: Map<string, string>) =>
          r.therapies.map((th) => ({ id: th.id, score: th.score, pos: th.positive, neg: th.negative, cls: th.class, tier: th.tier, ev: th.evidence.map((e) => map?.get(e.id) ?? e.id).sort() }));
        expect(norm(r2, idMap)).toEqual(norm(r1));
      }),
      RUNS,
    );
  });

  it.each([
    ['', items, tumour],
    [' (with randomised comparisons in play)', strongItems, strongTumour],
  ] as const)('scores are finite and every therapy is explained by paths whose contributions add up to its sums%s', (_name, baseArb, tumourArb) => {
    fc.assert(
      fc.property(baseArb, alts, tumourArb, (base, a, t) => {
        const r = rankTherapies(kbOf(base), profileOf(a, t));
        for (const th of r.therapies) {
          expect(Number.isFinite(th.score)).toBe(true);
          expect(th.evidence.length).toBeGreaterThan(0);
          const pos = th.evidence.filter((e) => e.contribution > 0).reduce((s, e) => s + e.contribution, 0);
          const neg = th.evidence.filter((e) => e.contribution < 0).reduce((s, e) => s + e.contribution, 0);
          expect(th.positive).toBeCloseTo(pos, 6);
          expect(th.negative).toBeCloseTo(neg, 6);
          const ex = explainTherapy(r, th.id);
          expect(ex.nodes.some((n) => n.id === `therapy:${th.id}`)).toBe(true);
          for (const e of th.evidence) {
            const path = contributionPath(e, th.id);
            expect(path[0]).toMatch(/^alteration:/);
            expect(path[path.length - 1]).toBe(`therapy:${th.id}`);
            for (let i = 0; i + 1 < path.length; i++) expect(ex.links.some((l) => l.source === path[i] && l.target === path[i + 1])).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('evidence from unrelated tumour types alone never outweighs one approval in this tumour type', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ level: fc.constantFrom(...LEVELS), biomarker: fc.constantFrom('G1 V600E', 'G1 V600', { any: ['G1 V600E', 'G1 V600K'] }) }), { minLength: 1, maxLength: 40 }), (others) => {
        const kb = makeKb([
          {
            gene: 'G1',
            drivers: { oncogenic: ['V600E'] },
            evidence: [
              { id: 'here', biomarker: 'G1 V600E', therapy: 'da', tumour: 'COADREAD', level: 'approved', approvals: [{ agency: 'FDA', year: 2020 }] },
              ...others.map((o, i) => ({
                id: `elsewhere-${i}`, biomarker: o.biomarker, therapy: 'db', tumour: 'MEL', level: o.level,
                ...(o.level === 'approved' ? { approvals: [{ agency: 'FDA' as const, year: 2015 }] } : {}),
              })),
            ],
          },
        ]);
        const r = rankTherapies(kb, profileOf([{ gene: 'G1', kind: 'mutation', change: 'V600E' }], 'COADREAD'));
        expect(r.therapies.find((t) => t.id === 'db')!.score).toBeLessThan(r.therapies.find((t) => t.id === 'da')!.score);
      }),
      RUNS,
    );
  });

  it('inferred evidence never ranks a therapy above one with direct clinical evidence', () => {
    fc.assert(
      fc.property(items, alts, tumour, (base, a, t) => {
        const r = rankTherapies(kbOf(base), profileOf(a, t));
        const isDirect = (th: (typeof r.therapies)[number]) => th.score > 0 && th.evidence.some((e) => e.contribution > 0 && !e.inference);
        const firstInferredOnly = r.therapies.findIndex((th) => th.score > 0 && !isDirect(th));
        const lastDirect = r.therapies.map(isDirect).lastIndexOf(true);
        if (firstInferredOnly >= 0 && lastDirect >= 0) expect(lastDirect).toBeLessThan(firstInferredOnly);
      }),
      RUNS,
    );
  });
  it('a therapy that beat another in an applicable randomised trial has at least its support on the trial\'s alterations, and never ranks below it when that is all the comparator has', () => {
    let checked = 0;
    fc.assert(
      fc.property(strongItems, alts, strongTumour, (base, a, t) => {
        const kb = kbOf(base);
        const index = prepareGraph(kb);
        const r = rankTherapies(kb, profileOf(a, t));
        const arms = new Map(base.map((x, i) => [`e${i}`, (superiorToOf(x) ?? []).map(therapyKey)]));
        const position = new Map(r.therapies.map((th, i) => [th.id, i]));
        // Applicable wins: by a therapy that is not not-recommended, through an item that carries the comparison here.
        const wins: Array<[string, string, Set<string>]> = [];
        for (const th of r.therapies) {
          if (th.class === 'not-recommended') continue;
          for (const e of th.evidence) {
            if (carriesComparison(index, t, e)) for (const c of arms.get(e.id) ?? []) wins.push([th.id, c, new Set(e.alterations)]);
          }
        }
        const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
          wins.some(([w, c]) => w === from && !seen.has(c) && (c === to || reaches(c, to, seen.add(c))));
        const supportOn = (th: (typeof r.therapies)[number], on: Set<string>) =>
          th.evidence.reduce((sum, e) => (e.contribution > 0 && e.alterations.some((x) => on.has(x)) ? sum + e.contribution : sum), 0);
        for (const [winner, comparator, on] of wins) {
          const i = position.get(winner)!;
          const j = position.get(comparator);
          if (j === undefined || reaches(comparator, winner)) continue; // contradictory data: a cycle of wins
          checked++;
          const w = r.therapies[i]!;
          const c = r.therapies[j]!;
          expect(supportOn(w, on)).toBeGreaterThanOrEqual(supportOn(c, on) - 1e-9);
          // When the comparator's support is all on the trial's alterations and the winner has no negative part,
          // the winner lists above it.
          if (w.negative === 0 && Math.abs(supportOn(c, on) - c.positive) < 1e-9) {
            expect(w.positive).toBeGreaterThanOrEqual(c.positive - 1e-9);
            expect(i).toBeLessThan(j);
          }
        }
      }),
      RUNS,
    );
    expect(checked).toBeGreaterThan(RUNS.numRuns / 25); // the property was exercised, not vacuously true (a trial applies in its own type and subtypes only)
  });

  it('a profile bringing what another brought gets that ranking\'s therapies, the same as ranked afresh', () => {
    // Alterations in the order given, then shuffled and with alterations that match and infer nothing (genes the
    // knowledge base does not know): the second ranking is the first's shared list (rank.ts), and equals a fresh
    // pool's ranking of it, for either agency.
    const unknownGenes = fc.array(fc.constantFrom('G7', 'G8', 'ZZ1'), { maxLength: 3 });
    fc.assert(
      fc.property(items, alts, tumour, unknownGenes, fc.infiniteStream(fc.nat()), fc.constantFrom('FDA', 'EMA'), (base, a, t, extra, seeds, agency) => {
        const shared = kbOf(base);
        const first = rankTherapies(shared, profileOf(a, t), { agency });
        const shuffled = [...a].map((x) => [seeds.next().value as number, x] as const).sort((x, y) => x[0] - y[0]).map(([, x]) => x);
        const more = [...shuffled, ...extra.map((gene, i) => ({ gene, kind: 'mutation', change: `A${i + 1}V` }))];
        const second = rankTherapies(shared, profileOf(more, t), { agency });
        expect(second.therapies).toBe(first.therapies);
        expect(Object.isFrozen(second.therapies)).toBe(true);
        const cold = rankTherapies(kbOf(base), profileOf(more, t), { agency });
        expect(JSON.stringify(second)).toBe(JSON.stringify(cold));
        expect(rankResultJson(second)).toBe(JSON.stringify(cold));
        // The other agency is ranked apart (class and tiers follow the agency's approvals).
        const other = agency === 'FDA' ? 'EMA' : 'FDA';
        expect(JSON.stringify(rankTherapies(shared, profileOf(more, t), { agency: other }))).toBe(JSON.stringify(rankTherapies(kbOf(base), profileOf(more, t), { agency: other })));
      }),
      { numRuns: Math.ceil(RUNS.numRuns / 3) },
    );
  });

  it('a profile that differs in anything ranking reads is never given another\'s kept ranking', () => {
    // Two profiles ranked in one pool, the second differing from the first in one thing: an alteration of unknown
    // significance that meets a gene-level biomarker, the tumour type, the not-recommended threshold, the agency, or
    // nothing. Each ranking must be a fresh pool's, and a list the second ranking shares must be frozen throughout.
    const change = fc.constantFrom('vus', 'tumour', 'threshold', 'agency', 'none');
    const threshold = fc.constantFrom<Level>('approved', 'inferential'); // nothing, or every negative item, decides
    const check = (base: Item[], a: unknown[], t: string, t2: string, what: string, level: Level) => {
      const shared = kbOf(base, true);
      const firstOptions = {};
      const secondOptions = what === 'threshold' ? { notRecommendedMinLevel: level } : what === 'agency' ? { agency: 'EMA' as const } : {};
      const secondAlts = what === 'vus' ? [...a, { gene: 'G1', kind: 'mutation', change: 'A7T' }] : a;
      const secondTumour = what === 'tumour' ? t2 : t;
      const first = rankTherapies(shared, profileOf(a, t), firstOptions);
      const second = rankTherapies(shared, profileOf(secondAlts, secondTumour), secondOptions);
      expect(JSON.stringify(first)).toBe(JSON.stringify(rankTherapies(kbOf(base, true), profileOf(a, t), firstOptions)));
      expect(JSON.stringify(second)).toBe(JSON.stringify(rankTherapies(kbOf(base, true), profileOf(secondAlts, secondTumour), secondOptions)));
      if (second.therapies === first.therapies) {
        expect(Object.isFrozen(second.therapies)).toBe(true);
        for (const th of second.therapies) {
          expect(Object.isFrozen(th) && Object.isFrozen(th.evidence) && Object.isFrozen(th.alterations)).toBe(true);
          for (const e of th.evidence) expect(Object.isFrozen(e) && Object.isFrozen(e.factors)).toBe(true);
        }
      }
    };
    fc.assert(
      fc.property(items, alts, tumour, tumour, change, threshold, (base, a, t, t2, what, level) => check(base, a, t, t2, what, level)),
      { numRuns: RUNS.numRuns },
    );
    // With randomised comparisons in play: lifted therapies in a kept list are frozen too.
    fc.assert(
      fc.property(strongItems, alts, strongTumour, strongTumour, change, threshold, (base, a, t, t2, what, level) => check(base, a, t, t2, what, level)),
      { numRuns: RUNS.numRuns },
    );
  });

  it('a ranking does not depend on what was ranked before (shared contributions), and its JSON text is JSON.stringify\'s', () => {
    const profiles = fc.array(fc.tuple(alts, tumour), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(items, profiles, (base, list) => {
        // One knowledge base ranks the profiles in order, so later rankings reuse earlier contributions; each
        // profile is also ranked alone on a copy of it (a fresh pool).
        const shared = kbOf(base);
        for (const [a, t] of list) {
          const warm = rankTherapies(shared, profileOf(a, t));
          const cold = rankTherapies(kbOf(base), profileOf(a, t));
          const text = JSON.stringify(warm);
          expect(text).toBe(JSON.stringify(cold));
          expect(rankResultJson(warm)).toBe(text);
          for (const th of warm.therapies) {
            for (const e of th.evidence) {
              if (e.superiority) continue; // the lift is built per ranking
              expect(Object.isFrozen(e) && Object.isFrozen(e.factors) && Object.isFrozen(e.alterations)).toBe(true);
              expect(() => {
                (e as { contribution: number }).contribution = 0;
              }).toThrow(TypeError);
            }
          }
        }
      }),
      { numRuns: Math.ceil(RUNS.numRuns / 3) },
    );
  });
});

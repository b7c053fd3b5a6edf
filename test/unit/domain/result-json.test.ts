/**
 * rankResultJson (server/domain/result-json.ts) writes exactly JSON.stringify's
 * text, whatever the therapies hold: the template and its remembered pieces
 * never change a byte.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rankResultJson, shareValue } from '../../../server/domain/result-json.ts';

const therapy = (over: Record<string, unknown> = {}) => ({
  id: 'da+db', drugs: ['da', 'db'], score: 12.5, positive: 14, negative: -1.5, class: 'off-label', tier: 'II-A', oncokb: '3A',
  alterations: ['G1:p.V600E'], evidence: [], ...over,
});
/** A rank result holding any therapies (typed as one for rankResultJson, which must cope with anything). */
const result = (therapies: unknown[]) =>
  ({ id: 'p', tumourType: 'LUAD', kb: { name: 'k', version: '1', hash: 'h' }, scoring: { version: '1' }, alterations: [], therapies, warnings: [] }) as unknown as Parameters<typeof rankResultJson>[0];

describe('rankResultJson', () => {
  it('writes the same text as JSON.stringify for the values a therapy can take', () => {
    const cases = [
      therapy(),
      therapy({ score: -0, positive: 0, negative: -0 }),
      therapy({ score: 1e21, positive: 1e-7, negative: -123.456 }),
      therapy({ oncokb: null, tier: 'X' }),
      therapy({ class: 'quote " and \\ backslash', tier: '\u2028' }),
      therapy({ score: Number.NaN }), // not finite: the general path
      therapy({ score: Infinity, oncokb: undefined }),
      therapy({ drugs: ['da', 'dé'], id: 'da+dé' }),
    ];
    for (const t of cases) expect(rankResultJson(result([t]))).toBe(JSON.stringify(result([t])));
  });

  it('does not reuse text written for other drugs under the same therapy id', () => {
    const first = result([therapy({ id: 'x', drugs: ['a'] })]);
    const second = result([therapy({ id: 'x', drugs: ['a', 'b'] })]);
    const third = result([therapy({ id: 'x', drugs: ['b'] })]);
    for (const r of [first, second, third, first]) expect(rankResultJson(r)).toBe(JSON.stringify(r));
  });

  it('writes each therapy right whichever of its values change from one write to the next', () => {
    const c1 = Object.freeze({ id: 'e1', contribution: 1.5, alterations: Object.freeze(['G1:p.V600E']), statement: 'ß' });
    const c2 = Object.freeze({ id: 'e2', contribution: -2, alterations: Object.freeze(['G1:p.V600E']) });
    const loose = { id: 'e3', contribution: 3 }; // not frozen: its text is never kept, nor a therapy's that holds it
    const variants = [
      therapy({ evidence: [c1] }),
      therapy({ evidence: [c1] }), // a repeat
      therapy({ evidence: [c1], class: 'on-label' }),
      therapy({ evidence: [c1], tier: 'I-A', oncokb: null }),
      therapy({ evidence: [c1], score: 1.5, positive: 1.5, negative: 0 }),
      therapy({ evidence: [c1, c2] }),
      therapy({ evidence: [c1, c2], alterations: ['G1:p.V600E', 'G2:amp'] }),
      therapy({ evidence: [c1], drugs: ['da'], id: 'da+db' }),
      therapy({ evidence: [c1], id: 'other' }),
      therapy({ evidence: [c1, loose] }),
      therapy({ evidence: [c1, { ...loose, contribution: 4 }] }),
      therapy({ evidence: [c1] }),
    ];
    for (let round = 0; round < 2; round++) {
      for (const t of variants) expect(rankResultJson(result([t]))).toBe(JSON.stringify(result([t])));
    }
  });

  it('remembers a labelled therapy\'s text only when its labels are shared too: a merely frozen label may have a getter', () => {
    let n = 0;
    const getter = Object.freeze(Object.defineProperty({ drug: 'x', agency: 'FDA' } as Record<string, unknown>, 'tumour', { get: () => `T${++n}`, enumerable: true }));
    const lists = { drugs: Object.freeze(['da']), alterations: Object.freeze([] as string[]), evidence: Object.freeze([] as unknown[]) };
    const t = shareValue({ ...therapy({ id: 'g', ...lists }), labelled: Object.freeze([getter]) });
    const first = rankResultJson(result([t as never]));
    const second = rankResultJson(result([t as never]));
    // Written from its values each time (a remembered text would repeat the first).
    expect(first).not.toBe(second);
    // Labels shared as ranking shares them: written once, then remembered.
    const plainLabel = shareValue([shareValue({ drug: 'x', agency: 'FDA', tumour: 'GB' })]);
    const s = shareValue({ ...therapy({ id: 's', ...lists }), labelled: plainLabel });
    for (let round = 0; round < 2; round++) expect(rankResultJson(result([s as never]))).toBe(JSON.stringify(result([s as never])));
  });

  it('writes a shared therapy from its remembered text, and trusts frozenness only in therapies marked as shared', () => {
    const c1 = Object.freeze({ id: 'e1', contribution: 1.5, alterations: Object.freeze(['G1:p.V600E']) });
    const shared = shareValue(therapy({ drugs: Object.freeze(['da', 'db']), alterations: Object.freeze(['G1:p.V600E']), evidence: Object.freeze([c1]) }));
    expect(Object.isFrozen(shared)).toBe(true);
    for (let round = 0; round < 2; round++) expect(rankResultJson(result([shared]))).toBe(JSON.stringify(result([shared])));
    // Frozen but not marked as shared, with a getter: written from its values each time.
    let n = 0;
    const changing = Object.freeze(
      Object.defineProperty(therapy({ drugs: Object.freeze(['da']), alterations: Object.freeze([]), evidence: Object.freeze([c1]) }), 'score', {
        get: () => ++n,
        enumerable: true,
      }),
    );
    const first = rankResultJson(result([changing]));
    const second = rankResultJson(result([changing]));
    expect(first).not.toBe(second);
  });

  it('honours an array\'s own toJSON even after the same values were written without one', () => {
    const c1 = Object.freeze({ id: 'e1', contribution: 1 });
    const odd = <T extends unknown[]>(a: T) => Object.assign(a, { toJSON: () => 'replaced' });
    const plainFirst = therapy({ id: 'tj', drugs: ['x'], alterations: ['A:amp'], evidence: [c1] });
    const cases = [
      plainFirst,
      therapy({ id: 'tj', drugs: odd(['x']), alterations: ['A:amp'], evidence: [c1] }),
      therapy({ id: 'tj', drugs: ['x'], alterations: odd(['A:amp']), evidence: [c1] }),
      therapy({ id: 'tj', drugs: ['x'], alterations: ['A:amp'], evidence: odd([c1]) }),
    ];
    for (const t of cases) expect(rankResultJson(result([t]))).toBe(JSON.stringify(result([t])));
  });

  it('matches JSON.stringify for arbitrary therapy fields (property)', () => {
    const scalar = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.constant(null), fc.boolean());
    const arbTherapy = fc.record({
      id: fc.oneof(fc.constantFrom('a', 'b', 'a+b'), fc.string()),
      drugs: fc.array(fc.oneof(fc.constantFrom('a', 'b'), fc.string()), { maxLength: 3 }),
      score: scalar, positive: scalar, negative: scalar,
      class: fc.oneof(fc.constantFrom('on-label', 'off-label'), fc.string()),
      tier: scalar, oncokb: scalar,
      alterations: fc.array(fc.string(), { maxLength: 2 }),
      evidence: fc.constant([]),
    });
    fc.assert(
      fc.property(fc.array(arbTherapy, { maxLength: 4 }), (ts) => {
        const r = result(ts);
        expect(rankResultJson(r)).toBe(JSON.stringify(r));
      }),
      { numRuns: 300 },
    );
  });

  it('matches JSON.stringify for a therapy with labels (`labelled`, last), of the shape ranking builds or not (property)', () => {
    const text = fc.oneof(fc.constantFrom('temozolomide', 'FDA', 'GB', ''), fc.string(), fc.constantFrom('"', '\\', '\u2028', '\ud800'));
    const label = fc.oneof(
      fc.record({ drug: text, agency: text, tumour: text }),
      fc.record({ agency: text, drug: text, tumour: text }),
      fc.record({ drug: text, agency: fc.integer(), tumour: text }),
      fc.record({ drug: text, agency: text }),
    );
    const labelled = fc.oneof(fc.array(label, { maxLength: 3 }), fc.constant(undefined), fc.constant(null), fc.string());
    fc.assert(
      fc.property(fc.array(labelled, { minLength: 1, maxLength: 3 }), fc.boolean(), (lists, freeze) => {
        const ts = lists.map((l, i) => {
          const lists = { drugs: ['da'], alterations: [] as string[], evidence: [] as unknown[] };
          const t = therapy(freeze ? { id: `t${i}`, drugs: Object.freeze(lists.drugs), alterations: Object.freeze(lists.alterations), evidence: Object.freeze(lists.evidence) } : { id: `t${i}`, ...lists }) as Record<string, unknown>;
          // Shared as ranking shares them (its text is then remembered), or left as they are.
          t.labelled = freeze && Array.isArray(l) ? shareValue(l.map((x) => shareValue(x))) : l;
          return freeze ? shareValue(t) : t;
        });
        const r = result(ts as never);
        for (let round = 0; round < 2; round++) expect(rankResultJson(r)).toBe(JSON.stringify(r));
      }),
      { numRuns: 300 },
    );
  });

  it('matches JSON.stringify for arbitrary alterations, warnings and strings, lone surrogates and controls included (property)', () => {
    // Any UTF-16 code unit, so quotes, backslashes, control characters, U+2028 and lone surrogates all come up.
    const unit = fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0x22, 0x5c, 0x0a, 0x1f, 0x7f, 0x2028, 0xd800, 0xdc00, 0xe9));
    const text = fc.oneof(fc.constantFrom('TP53:p.R273H', 'TP53 R273H', 'mutation', 'oncogenic', ''), fc.array(unit, { maxLength: 8 }).map((u) => String.fromCharCode(...u)));
    const alteration = fc.oneof(
      fc.record({ key: text, label: text, kind: text, gene: text, driver: text, matched: fc.array(text, { maxLength: 3 }) }),
      // Not the ranked-alteration shape: another key order, a number, a missing field.
      fc.record({ label: text, key: text, kind: text, gene: text, driver: text, matched: fc.array(text, { maxLength: 2 }) }),
      fc.record({ key: text, label: fc.integer(), kind: text, gene: text, driver: text, matched: fc.constant([]) }),
      fc.record({ key: text, label: text, kind: text, gene: text, driver: text }),
    );
    fc.assert(
      fc.property(fc.array(alteration, { maxLength: 4 }), fc.array(text, { maxLength: 4 }), text, (alterations, warnings, id) => {
        const r = { ...result([therapy({ id, drugs: [id], alterations: [id] })]), id, alterations, warnings } as unknown as Parameters<typeof rankResultJson>[0];
        expect(rankResultJson(r)).toBe(JSON.stringify(r));
      }),
      { seed: 20261123, numRuns: 500 },
    );
  });
});

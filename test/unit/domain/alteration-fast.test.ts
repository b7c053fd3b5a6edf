/**
 * The readers' fast path for mutation inputs (`cleanMutation` in server/domain/alteration.ts) must give the
 * schema's answer: whatever it accepts, `MutationInput` accepts with the same values, and whatever the schema
 * would change (trim) or refuse, it leaves to the schema. Seeded, so failures reproduce.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlterationInput, cleanMutation, normaliseAlteration } from '../../../server/domain/alteration.ts';
import { InvalidInputError } from '../../../server/domain/errors.ts';

const SEED = 20261123;

// Values near the edges of each field's rule, so both paths see the borders.
const text = fc.oneof(
  fc.constantFrom('', ' ', 'TP53', ' TP53', 'TP53 ', 'H3-3A', 'HLA-DRA', 'tp53', 'A'.repeat(30), 'A'.repeat(31), 'BRAF\n', 'é', '1ABC', '-X'),
  fc.string({ maxLength: 40 }),
);
const change = fc.oneof(
  fc.constantFrom('V600E', 'p.V600E', ' V600E', 'V600E ', '', 'x'.repeat(80), 'x'.repeat(81), 'E746_A750del', 'exon 14 skipping', 'Q37*', '\tV600E'),
  fc.string({ maxLength: 90 }),
);
const num = fc.oneof(fc.constantFrom(0, 1, -0, 0.5, 1.0000001, -0.1, 400, 401, 1, 0.9, Number.NaN, Infinity, -Infinity), fc.double(), fc.integer({ min: -5, max: 500 }));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const anything = fc.record(
  {
    kind: fc.constantFrom('mutation', 'mutation', 'mutation', 'amplification', 'Mutation'),
    gene: fc.oneof(text, fc.constant(undefined), fc.constant(5)),
    change: fc.oneof(change, fc.constant(undefined), fc.constant(12)),
    vaf: maybe(fc.oneof(num, fc.constant('0.3'))),
    transcript: maybe(fc.oneof(fc.string({ maxLength: 70 }), fc.constant(7))),
    exon: maybe(fc.oneof(num, fc.constant('19'))),
    origin: maybe(fc.constantFrom('somatic', 'germline', 'Somatic', '')),
    source: maybe(fc.string({ maxLength: 210 })),
    extra: maybe(fc.constantFrom('x', 1)),
  },
  { requiredKeys: ['kind'] },
);
// A reader-like mutation with one or more fields drawn from the edges: most runs then reach the fast path.
const nearValid = fc
  .record(
    {
      gene: fc.oneof(fc.constantFrom('TP53', 'KRAS', 'H3-3A'), text),
      change: fc.oneof(fc.constantFrom('R273H', 'p.G12D', 'E746_A750del'), change),
      vaf: maybe(num),
      transcript: maybe(fc.oneof(fc.constantFrom('T'.repeat(64), 'T'.repeat(65)), fc.string({ maxLength: 70 }))),
      exon: maybe(num),
      origin: maybe(fc.constantFrom('somatic', 'germline', 'Somatic')),
      source: maybe(fc.oneof(fc.constantFrom('s'.repeat(200), 's'.repeat(201)), fc.string({ maxLength: 210 }))),
    },
    { requiredKeys: [] },
  )
  .map((r) => ({ kind: 'mutation', gene: 'TP53', change: 'R273H', ...r }));
const input = fc.oneof(nearValid, nearValid, anything);

describe('the mutation fast path', () => {
  it('accepts only what the schema accepts unchanged, and normalises to the same alteration', () => {
    let fastRuns = 0;
    fc.assert(
      fc.property(input, (raw) => {
        // Keys that are undefined are left out, as a reader's object would leave them out.
        const o = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
        const fast = cleanMutation(o);
        const schema = AlterationInput.safeParse(o);
        if (fast !== undefined) fastRuns++;
        if (fast !== undefined) {
          expect(schema.success).toBe(true);
          expect(schema.data).toEqual(fast);
        }
        // Either way normaliseAlteration answers as the schema alone would: the same alteration, or an InvalidInputError.
        let viaFast: unknown;
        try {
          viaFast = normaliseAlteration(o);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
          if (schema.success) expect(() => normaliseAlteration(Object.assign(Object.create(null), o))).toThrow(InvalidInputError);
          return;
        }
        expect(schema.success).toBe(true);
        // The same input with no prototype never takes the fast path: the schema's own answer.
        expect(viaFast).toEqual(normaliseAlteration(Object.assign(Object.create(null), o)));
      }),
      { seed: SEED, numRuns: 3000 },
    );
    // The generator reaches both paths often.
    expect(fastRuns).toBeGreaterThan(300);
    expect(fastRuns).toBeLessThan(2700);
  });

  it('takes the fast path for what the readers build, and leaves untrimmed or out-of-range values to the schema', () => {
    expect(cleanMutation({ kind: 'mutation', gene: 'TP53', change: 'p.R273H', vaf: 0.31, transcript: 'ENST00000269305' })).toBeDefined();
    expect(cleanMutation({ kind: 'mutation', gene: ' TP53', change: 'R273H' })).toBeUndefined();
    expect(cleanMutation({ kind: 'mutation', gene: 'TP53', change: 'R273H ' })).toBeUndefined();
    expect(cleanMutation({ kind: 'mutation', gene: 'TP53', change: 'R273H', vaf: 31 })).toBeUndefined();
    expect(cleanMutation({ kind: 'mutation', gene: 'TP53', change: 'R273H', patient: 'x' })).toBeUndefined();
    expect(cleanMutation(Object.assign(Object.create({ inherited: 1 }), { kind: 'mutation', gene: 'TP53', change: 'R273H' }))).toBeUndefined();
    expect(() => normaliseAlteration({ kind: 'mutation', gene: 'TP53', change: 'R273H', patient: 'x' })).toThrow(InvalidInputError);
  });

  it('uses the values it checked: a getter that answers differently the second time changes nothing', () => {
    const shifty = (field: string, first: unknown, then: unknown) => {
      let reads = 0;
      const o: Record<string, unknown> = { kind: 'mutation', gene: 'TP53', change: 'R273H' };
      Object.defineProperty(o, field, { enumerable: true, get: () => (reads++ === 0 ? first : then) });
      return o;
    };
    expect(normaliseAlteration(shifty('vaf', 0.5, 55)).vaf).toBe(0.5);
    expect(normaliseAlteration(shifty('gene', 'TP53', 'not a gene!')).key).toBe('TP53:p.R273H');
    expect(normaliseAlteration(shifty('origin', 'somatic', '<script>')).origin).toBe('somatic');
    expect(normaliseAlteration(shifty('change', 'R273H', 'V600E')).key).toBe('TP53:p.R273H');
  });
});

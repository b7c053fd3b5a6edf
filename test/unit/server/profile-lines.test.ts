/**
 * The lines batch chunks carry (server/batch/profile-lines.ts) read back exactly as each profile's own JSON would:
 * the same values and the same key order, for profiles a reader makes and for anything else a caller might push.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseProfileLine, profileLine } from '../../../server/batch/profile-lines.ts';
import { createEngine } from '../../../server/engine.ts';
import type { Profile } from '../../../server/domain/profile.ts';

const engine = createEngine();
/** What the worker used to get: the profile's own JSON, parsed. */
const viaJson = (p: unknown) => JSON.parse(JSON.stringify(p)) as unknown;
/** Equal values and equal key order (JSON text compares both). */
function expectSame(p: unknown): void {
  const line = profileLine(p as Profile);
  expect(line).not.toContain('\n');
  const back = parseProfileLine(line);
  expect(back).toStrictEqual(viaJson(p));
  expect(JSON.stringify(back)).toBe(JSON.stringify(p));
}

describe('batch profile lines', () => {
  it('packs what readers make by position and reads it back as JSON.parse would', () => {
    const p = engine.normalise({
      id: 'S-1',
      tumourType: 'LUAD',
      alterations: [
        { gene: 'EGFR', kind: 'mutation', change: 'L858R' },
        { gene: 'EGFR', kind: 'mutation', change: 'E746_A750del' },
        { gene: 'TP53', kind: 'mutation', change: 'R213fs' },
        { gene: 'STK11', kind: 'mutation', change: 'Q37*' },
        { gene: 'ERBB2', kind: 'amplification' },
        { gene: 'ALK', kind: 'fusion', partner: 'EML4' },
        { gene: 'KRAS', kind: 'mutation', change: 'G12C', vaf: 0.31 },
        { kind: 'signature', name: 'TMB', value: 14 },
      ],
    });
    expectSame(p);
    const line = profileLine(p);
    // The protein changes (a VAF or not) went by position (shape numbers and values, no keys), the rest as objects.
    expect(line.startsWith('["S-1","LUAD",0,"EGFR:p.L858R"')).toBe(true);
    expect(line).not.toContain('"canonical"');
    expect(line).toContain('"partner":"EML4"');
    expect(line.length).toBeLessThan(JSON.stringify(p).length * 0.8);
  });

  it('reads a profile of any other shape back as its JSON', () => {
    expectSame({ id: 'x', alterations: [] });
    expectSame({ tumourType: 'LUAD', id: 'x', alterations: [] });
    expectSame({ id: 'x', tumourType: 'LUAD', alterations: [5, 'a', null, undefined, [1]] });
    expectSame({ id: 'x', tumourType: 'LUAD', alterations: [], extra: 1 });
    expectSame({ id: 'x', tumourType: 'LUAD', alterations: [{ key: 'k', kind: 'mutation', gene: 'G', label: 'l', protein: { type: 'missense', ref: 'A', pos: -0, alt: 'B', canonical: 'A0B' } }] });
  });

  it('round-trips arbitrary profiles exactly (property)', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('missense', 'R', '', 'a\u2028b', '\ud800', 'ü'));
    const num = fc.oneof(fc.integer(), fc.double(), fc.constant(-0));
    const value = fc.oneof(text, num, fc.boolean(), fc.constant(null), fc.constant(undefined));
    const protein = fc.oneof(
      fc.record({ type: text, ref: text, pos: num, alt: text, canonical: text }),
      fc.record({ type: text, ref: text, pos: num, canonical: text }),
      fc.record({ type: text, ref: text, pos: num, endRef: text, endPos: num, canonical: text }),
      fc.record({ type: value, ref: text, pos: value, alt: text, canonical: text }),
      fc.dictionary(fc.constantFrom('type', 'pos', 'alt', 'x'), value),
    );
    const alteration = fc.oneof(
      fc.record({ key: text, kind: text, gene: text, label: text, protein }),
      fc.record({ key: value, kind: text, gene: text, label: text, protein }),
      fc.record({ key: text, kind: text, gene: text, label: text, protein, vaf: num }, { requiredKeys: ['key', 'protein'] }),
      // The optional keys of a read alteration, any of them, in their order or not, of their type or not.
      fc.record({ key: text, kind: text, gene: text, label: text, exon: fc.oneof(num, text), vaf: value, origin: text, transcript: value, protein }, { requiredKeys: ['key', 'kind', 'gene', 'label', 'protein'] }),
      fc.record({ key: text, kind: text, gene: text, label: text, transcript: text, exon: num, protein }),
      fc.record({ key: text, kind: text, gene: text, label: text, partner: text }),
      value,
    );
    const profile = fc.oneof(
      fc.record({ id: text, tumourType: text, alterations: fc.array(alteration, { maxLength: 8 }) }),
      fc.record({ id: value, tumourType: value, alterations: fc.array(alteration, { maxLength: 4 }) }, { requiredKeys: ['alterations'] }),
    );
    fc.assert(fc.property(profile, (p) => expectSame(p)), { numRuns: 2000 });
  });
});

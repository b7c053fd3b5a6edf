/**
 * The ranking cache (server/scoring/rank.ts): what it declines to keep. The property tests
 * (properties.test.ts) hold kept rankings to fresh ones; these are the edges they do not reach.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../server/engine.ts';
import { rankTherapies } from '../../../server/scoring/index.ts';
import type { Profile } from '../../../server/domain/profile.ts';

const engine = createEngine();
const graph = engine.kb.graph;
const fresh = (p: Profile) => JSON.stringify(rankTherapies(graph, p, { weights: {} })); // new weights object: a new pool

describe('the ranking cache', () => {
  it('keeps no ranking of a hand-built profile holding one alteration key twice (its inferences could tie in either order)', () => {
    const amp = engine.normalise({ id: 'p', tumourType: 'LUAD', alterations: [{ gene: 'ERBB2', kind: 'amplification' }] }).alterations[0]!;
    const a1 = { ...amp, label: 'ERBB2 amplification' };
    const a2 = { ...amp, label: 'ERBB2 amp (copies 12)' };
    const first: Profile = { id: 'p', tumourType: 'LUAD', alterations: [a1, a2] };
    const second: Profile = { id: 'p', tumourType: 'LUAD', alterations: [a2, a1] };
    const r1 = rankTherapies(graph, first);
    const r2 = rankTherapies(graph, second);
    expect(r2.therapies).not.toBe(r1.therapies);
    expect(JSON.stringify(r1)).toBe(fresh(first));
    expect(JSON.stringify(r2)).toBe(fresh(second));
  });

  it('keeps the ranking of a normalised profile, and not that of a profile whose key would be over 16 KB', () => {
    const small = engine.normalise({ id: 's', tumourType: 'LUAD', alterations: [{ gene: 'EGFR', kind: 'mutation', change: 'L858R' }] });
    expect(rankTherapies(graph, small).therapies).toBe(rankTherapies(graph, small).therapies);
    // 400 KIT exon 11 mutations: each match of a KIT biomarker lists every hit, so the key runs to hundreds of KB.
    const alterations = Array.from({ length: 400 }, (_, i) => ({ gene: 'KIT', kind: 'mutation', change: `W${550 + (i % 40)}${'ACDEFGHIKL'[Math.floor(i / 40)]}` }));
    const large = engine.normalise({ id: 'l', tumourType: 'GIST', alterations });
    const r1 = rankTherapies(graph, large);
    const r2 = rankTherapies(graph, large);
    expect(r1.therapies.length).toBeGreaterThan(0);
    expect(r2.therapies).not.toBe(r1.therapies);
    expect(JSON.stringify(r2)).toBe(JSON.stringify(r1));
  });
});

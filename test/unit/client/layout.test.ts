/** The network layout: seeded and deterministic, draws exactly the explanation, leaves its input alone. */
import { describe, expect, it } from 'vitest';
import { explainProfile, explainTherapy } from '../../../server/scoring/explain.ts';
import { autoHeight, computeLayout, defaultTicks, orderColumns } from '../../../client/src/network/layout.ts';
import { syntheticRanking } from '../../../client/src/bench/synthetic.ts';

const positions = (l: ReturnType<typeof computeLayout>) => l.nodes.map((n) => [n.id, n.x, n.y] as const);

describe('computeLayout', () => {
  const result = syntheticRanking(120, 7);
  const explanation = explainProfile(result);

  it('puts every node in the same place for the same seed', () => {
    const a = computeLayout({ nodes: explanation.nodes, links: explanation.links, seed: 3 });
    const b = computeLayout({ nodes: explanation.nodes, links: explanation.links, seed: 3 });
    expect(positions(a)).toEqual(positions(b));
  });

  it('moves nodes with another seed, but only a little (the start is the ordered column layout)', () => {
    const a = computeLayout({ nodes: explanation.nodes, links: explanation.links, seed: 3 });
    const b = computeLayout({ nodes: explanation.nodes, links: explanation.links, seed: 4 });
    expect(positions(a)).not.toEqual(positions(b));
  });

  it('draws exactly the nodes and links of the explanation', () => {
    const one = explainTherapy(result, result.therapies[0]!.id);
    const l = computeLayout({ nodes: one.nodes, links: one.links });
    expect(l.nodes.map((n) => n.id).sort()).toEqual(one.nodes.map((n) => n.id).sort());
    expect(l.links.map((k) => [k.source.id, k.target.id, k.contribution])).toEqual(one.links.map((k) => [k.source, k.target, k.contribution]));
  });

  it('does not touch its input', () => {
    const copy = structuredClone(explanation);
    computeLayout({ nodes: explanation.nodes, links: explanation.links });
    expect(explanation).toEqual(copy);
  });

  it('keeps nodes inside the area, alterations left of therapies, and widths growing with |contribution|', () => {
    const l = computeLayout({ nodes: explanation.nodes, links: explanation.links, width: 800 });
    for (const n of l.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x).toBeLessThanOrEqual(800);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeLessThanOrEqual(l.height);
      expect(Number.isFinite(n.x + n.y)).toBe(true);
    }
    const meanX = (type: string) => {
      const xs = l.nodes.filter((n) => n.type === type).map((n) => n.x);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(meanX('alteration')).toBeLessThan(meanX('biomarker'));
    expect(meanX('biomarker')).toBeLessThan(meanX('evidence'));
    expect(meanX('evidence')).toBeLessThan(meanX('therapy'));
    const sorted = [...l.links].sort((a, b) => Math.abs(a.contribution) - Math.abs(b.contribution));
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.width).toBeGreaterThanOrEqual(sorted[i - 1]!.width);
  });

  it('lays out an empty network and ignores links to missing nodes', () => {
    expect(computeLayout({ nodes: [], links: [] }).nodes).toEqual([]);
    const l = computeLayout({ nodes: [{ id: 'therapy:x', type: 'therapy', label: 'x' }], links: [{ source: 'evidence:gone', target: 'therapy:x', contribution: 5 }] });
    expect(l.nodes).toHaveLength(1);
    expect(l.links).toEqual([]);
  });

  it('settles a 1,000-node network in fewer ticks', () => {
    expect(defaultTicks(50)).toBe(300);
    expect(defaultTicks(1000)).toBe(80);
    const big = explainProfile(syntheticRanking(1000));
    expect(big.nodes.length).toBeGreaterThan(950);
    expect(autoHeight(big.nodes)).toBeLessThanOrEqual(900);
  });
});

describe('orderColumns', () => {
  it('places each node next to the nodes it links to', () => {
    const nodes = [
      { id: 'alteration:A', type: 'alteration' as const, label: 'A' },
      { id: 'alteration:B', type: 'alteration' as const, label: 'B' },
      { id: 'biomarker:b', type: 'biomarker' as const, label: 'b' },
      { id: 'biomarker:a', type: 'biomarker' as const, label: 'a' },
    ];
    const links = [
      { source: 'alteration:A', target: 'biomarker:a', contribution: 1 },
      { source: 'alteration:B', target: 'biomarker:b', contribution: 1 },
    ];
    const columns = orderColumns(nodes, links);
    expect(columns[0]!.map((n) => n.id)).toEqual(['alteration:A', 'alteration:B']);
    expect(columns[1]!.map((n) => n.id)).toEqual(['biomarker:a', 'biomarker:b']);
  });
});

/** The layout hook: deterministic positions for a seed, stable between renders (rendered without a DOM). */
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { explainProfile } from '../../../server/scoring/explain.ts';
import { useNetworkLayout } from '../../../client/src/network/useNetworkLayout.ts';
import type { Layout } from '../../../client/src/network/layout.ts';
import { syntheticRanking } from '../../../client/src/bench/synthetic.ts';

function capture(config: Parameters<typeof useNetworkLayout>[0], renders = 1): Layout[] {
  const seen: Layout[] = [];
  function Probe() {
    seen.push(useNetworkLayout(config));
    return null;
  }
  for (let i = 0; i < renders; i++) renderToStaticMarkup(<Probe />);
  return seen;
}

describe('useNetworkLayout', () => {
  const explanation = explainProfile(syntheticRanking(80, 11));

  it('returns the same positions for the same seed, in every render', () => {
    const [a, b] = capture({ explanation, seed: 5 }, 2);
    expect(a!.nodes.map((n) => [n.id, n.x, n.y])).toEqual(b!.nodes.map((n) => [n.id, n.x, n.y]));
    expect(a!.nodes.length).toBe(explanation.nodes.length);
  });

  it('returns other positions for another seed', () => {
    const [a] = capture({ explanation, seed: 5 });
    const [b] = capture({ explanation, seed: 6 });
    expect(a!.nodes.map((n) => [n.x, n.y])).not.toEqual(b!.nodes.map((n) => [n.x, n.y]));
  });

  it('uses the size it is given', () => {
    const [a] = capture({ explanation, width: 640, height: 480 });
    expect([a!.width, a!.height]).toEqual([640, 480]);
    for (const n of a!.nodes) expect(n.x).toBeLessThanOrEqual(640);
  });
});

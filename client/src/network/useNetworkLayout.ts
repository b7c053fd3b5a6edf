/**
 * The network layout as a hook (nivo's `useNetwork` style): one config object
 * in, a typed layout out. The layout is memoised on the network and its
 * settings, so it is stable between renders and only recomputed when the
 * explanation itself changes.
 */
import { useMemo } from 'react';
import type { Explanation } from '../../../server/scoring/explain.ts';
import { computeLayout, type Layout } from './layout.ts';

export interface NetworkLayoutConfig {
  explanation: Explanation;
  width?: number;
  /** Layout height; by default from the tallest column. */
  height?: number;
  seed?: number;
  ticks?: number;
}

export function useNetworkLayout({ explanation, width = 1000, height, seed = 1, ticks }: NetworkLayoutConfig): Layout {
  return useMemo(
    () => computeLayout({ nodes: explanation.nodes, links: explanation.links, width, height, seed, ticks }),
    [explanation, width, height, seed, ticks],
  );
}

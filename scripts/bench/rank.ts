/**
 * In-process ranking benchmark: 1, 10, 30 and 300-alteration profiles against
 * the shipped knowledge base and generated ones 10x and 100x its size.
 * Median and p99 over repeated runs, after a warm-up; every size's profiles
 * hold the same number of distinct alterations between them (DISTINCT_ALTERATIONS).
 */
import { rankTherapies, prepareGraph } from '../../server/scoring/index.ts';
import { generateKb } from './generate-kb.ts';
import { benchProfile } from './profiles.ts';
import { contributionPool } from '../../server/scoring/intern.ts';
import { resolveOptions } from '../../server/scoring/defaults.ts';

export interface Stats {
  p50: number;
  p99: number;
  n: number;
}

export interface RankBench {
  figures: Record<string, number>;
  rows: Array<{ kb: string; evidence: number; size: number; p50: number; p99: number; repeatP50: number; therapies: number }>;
}

/**
 * Distinct alterations each size's profiles hold between them (6,000 profiles of 1 alteration, 200 of 30, 20 of
 * 300): every size then cycles through as much knowledge-base data, and none is measured with its data warmer in
 * the processor's caches than another. With 20 profiles of every size, 30-alteration rankings reused data held in
 * the caches that 300-alteration ones could not, and ranked about 1.8 times faster per alteration for it: a
 * difference of memory, not of the ranking's work (docs/performance.md).
 */
export const DISTINCT_ALTERATIONS = 6000;

/** Rounds each size's timed calls are split into, the sizes taking turns: a slow spell of the machine falls on all. */
const ROUNDS = 5;

/** `n` timed calls of `fn` (`before` untimed before each), in milliseconds. */
function times(fn: () => void, n: number, before?: () => void): number[] {
  const out: number[] = new Array(n);
  for (let k = 0; k < n; k++) {
    before?.();
    const t0 = performance.now();
    fn();
    out[k] = performance.now() - t0;
  }
  return out;
}
function stats(ms: number[]): Stats {
  const sorted = Float64Array.from(ms).sort();
  return { p50: sorted[Math.floor(sorted.length * 0.5)]!, p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!, n: sorted.length };
}

export function benchRank(options: { quick?: boolean } = {}): RankBench {
  const factors = options.quick ? [1, 10] : [1, 10, 100];
  const sizes = [1, 10, 30, 300];
  const figures: Record<string, number> = {};
  const rows: RankBench['rows'] = [];
  for (const factor of factors) {
    const { graph, evidence } = generateKb(factor);
    const rankings = contributionPool(prepareGraph(graph), resolveOptions()).rankings;
    const clear = () => rankings.clear();
    const name = factor === 1 ? 'shipped' : `${factor}x`;
    const runs = sizes.map((size) => {
      const count = Math.max(20, Math.ceil(DISTINCT_ALTERATIONS / size));
      const profiles = Array.from({ length: count }, (_, i) => benchProfile(graph, size, i + 1));
      const run = { size, profiles, next: 0, therapies: 0, fresh: [] as number[], again: [] as number[], iterations: 0, rank: () => {} };
      run.iterations = options.quick ? (size >= 300 ? 200 : 1000) : size >= 300 ? 1000 : 5000;
      run.rank = () => {
        run.therapies = rankTherapies(graph, profiles[run.next++ % profiles.length]!).therapies.length;
      };
      return run;
    });
    // Warm-up: every profile ranked at least once (the contribution pools then hold what each one brings).
    for (const r of runs) for (let k = 0; k < Math.max(200, r.profiles.length); k++) (clear(), r.rank());
    // Each profile ranked as if for the first time: the whole-ranking cache (rank.ts) is emptied before each call,
    // so that the figure is the ranking's own cost (the contribution pools stay warm, as in a running server).
    for (let round = 0; round < ROUNDS; round++) for (const r of runs) r.fresh.push(...times(r.rank, Math.ceil(r.iterations / ROUNDS), clear));
    // The same profiles ranked again (a board re-ranking a case): answered from the cache, which every profile's
    // ranking is put in first.
    for (const r of runs) for (let k = 0; k < r.profiles.length; k++) r.rank();
    for (let round = 0; round < ROUNDS; round++) for (const r of runs) r.again.push(...times(r.rank, Math.ceil(r.iterations / ROUNDS)));
    for (const r of runs) {
      const s = stats(r.fresh);
      const again = stats(r.again);
      figures[`rank${r.size}_${name}_ms_p50`] = round(s.p50);
      figures[`rank${r.size}_${name}_ms_p99`] = round(s.p99);
      figures[`rank${r.size}_${name}_repeat_ms_p50`] = round(again.p50);
      rows.push({ kb: name, evidence, size: r.size, p50: s.p50, p99: s.p99, repeatP50: again.p50, therapies: r.therapies });
    }
  }
  return { figures, rows };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/**
 * In-process ranking benchmark: 1, 10, 30 and 300-alteration profiles against
 * the shipped knowledge base and generated ones 10x and 100x its size.
 * Median and p99 over repeated runs, after a warm-up.
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

/** `before`, when given, runs before each call, untimed. */
export function measure(fn: () => void, iterations: number, warmup = Math.min(200, iterations), before?: () => void): Stats {
  for (let i = 0; i < warmup; i++) {
    before?.();
    fn();
  }
  const times = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    before?.();
    const t0 = performance.now();
    fn();
    times[i] = performance.now() - t0;
  }
  times.sort();
  return { p50: times[Math.floor(iterations * 0.5)]!, p99: times[Math.min(iterations - 1, Math.floor(iterations * 0.99))]!, n: iterations };
}

export interface RankBench {
  figures: Record<string, number>;
  rows: Array<{ kb: string; evidence: number; size: number; p50: number; p99: number; repeatP50: number; therapies: number }>;
}

export function benchRank(options: { quick?: boolean } = {}): RankBench {
  const factors = options.quick ? [1, 10] : [1, 10, 100];
  const sizes = [1, 10, 30, 300];
  const figures: Record<string, number> = {};
  const rows: RankBench['rows'] = [];
  for (const factor of factors) {
    const { graph, evidence } = generateKb(factor);
    const rankings = contributionPool(prepareGraph(graph), resolveOptions()).rankings;
    const name = factor === 1 ? 'shipped' : `${factor}x`;
    for (const size of sizes) {
      const profiles = Array.from({ length: 20 }, (_, i) => benchProfile(graph, size, i + 1));
      let i = 0;
      let therapies = 0;
      const iterations = options.quick ? (size >= 300 ? 200 : 1000) : size >= 300 ? 1000 : 5000;
      const rank = () => {
        therapies = rankTherapies(graph, profiles[i++ % profiles.length]!).therapies.length;
      };
      // Each profile ranked as if for the first time: the whole-ranking cache (rank.ts) is emptied before each call,
      // so that the figure is the ranking's own cost (the contribution pools stay warm, as in a running server).
      const s = measure(rank, iterations, undefined, () => rankings.clear());
      figures[`rank${size}_${name}_ms_p50`] = round(s.p50);
      figures[`rank${size}_${name}_ms_p99`] = round(s.p99);
      // The same profiles ranked again (a board re-ranking a case): answered from the cache.
      const again = measure(rank, iterations);
      figures[`rank${size}_${name}_repeat_ms_p50`] = round(again.p50);
      rows.push({ kb: name, evidence, size, p50: s.p50, p99: s.p99, repeatP50: again.p50, therapies });
    }
  }
  return { figures, rows };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

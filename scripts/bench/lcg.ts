/** A seeded linear congruential generator (as d3-force's lcg.js) so benchmarks are reproducible. */
export function lcg(seed = 42): () => number {
  let s = seed >>> 0;
  return () => {
    s = (1664525 * s + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function pick<T>(rand: () => number, xs: readonly T[] | string): T {
  return xs[Math.floor(rand() * xs.length)] as T;
}

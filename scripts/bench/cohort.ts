/**
 * Cohort benchmark: a seeded 20,000-sample panel MAF, ranked end to end by
 * `mtbnet batch` (a child process), and read alone by `mtbnet batch --check`
 * (the floor: the same process, start-up, knowledge base and reader, nothing
 * ranked or written), with the peak resident memory of each. Both run the same
 * code, compiled or not (bin/mtbnet.mjs chooses, the same way for both).
 *
 * Run several times, each run reading then ranking the same file one after the
 * other, so that a slow spell of the machine (on a virtual machine, memory the
 * host hands back slowly: docs/performance.md) falls on both halves of a run
 * alike; the figures are medians, each run listed beside them.
 *
 * Each run also ranks the file with its results thrown away (`--out
 * /dev/null`: every result ranked, written as JSON and handed to the kernel,
 * nothing stored), which tells the cost of ranking from that of storing the
 * results (761 MB for 20,000 samples). On Linux the batch stores them around
 * the page cache (server/batch/direct-file.ts): through it, on a virtual
 * machine whose host takes free memory back, fresh pages cost several times
 * what recycled ones do, and that made this figure move from run to run
 * (docs/performance.md).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMaf } from './generate-maf.ts';
import { ROOT } from './server-process.ts';
import { median } from './stats.ts';

export interface CohortRun {
  batchSeconds: number;
  batchPeakMb: number;
  readSeconds: number;
  readPeakMb: number;
  /** The same batch with its results thrown away (`--out /dev/null`). */
  discardSeconds: number;
}
export interface CohortBench extends CohortRun {
  samples: number;
  rows: number;
  /** Seconds ranking added to reading in each run (batch - read), median. */
  addedSeconds: number;
  /** Added time over reading time, median of the runs' ratios. */
  addedRatio: number;
  /** The same for the batch with its results thrown away (discardSeconds). */
  discardAddedRatio: number;
  /** Each run, in the order run; the fields above are their medians (peaks: the largest). */
  runs: CohortRun[];
}


/** Run a node script, returning wall seconds and the child's peak RSS (from /proc via a wrapper). */
function timed(args: string[]): Promise<{ seconds: number; peakMb: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // The wrapper reports the child's own peak RSS (getrusage of the finished child).
    const child = spawn('/usr/bin/time', ['-f', 'PEAK_KB %M', process.execPath, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench: ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      const kb = Number(/PEAK_KB (\d+)/.exec(stderr)?.[1] ?? NaN);
      resolve({ seconds: (performance.now() - t0) / 1000, peakMb: kb / 1024, stderr });
    });
  });
}

export async function benchCohort(options: { samples?: number; runs?: number; onRun?: (run: CohortRun, i: number) => void } = {}): Promise<CohortBench> {
  const samples = options.samples ?? 20000;
  const dir = mkdtempSync(join(tmpdir(), 'mtbnet-cohort-'));
  try {
    const maf = join(dir, 'cohort.maf');
    const results = join(dir, 'results.jsonl');
    const { rows } = await generateMaf(maf, samples);
    const runs: CohortRun[] = [];
    for (let i = 0; i < Math.max(1, options.runs ?? 1); i++) {
      const read = await timed([join(ROOT, 'bin/mtbnet.mjs'), 'batch', '--in', maf, '--check']);
      // Each run writes a new file, as a first run does (writing over the last run's would first free its pages).
      rmSync(results, { force: true });
      const batch = await timed([join(ROOT, 'bin/mtbnet.mjs'), 'batch', '--in', maf, '--out', results]);
      // After the batch, whose results stay until the next run: its pages are not freed just before this one.
      const discard = await timed([join(ROOT, 'bin/mtbnet.mjs'), 'batch', '--in', maf, '--out', '/dev/null']);
      const run = { batchSeconds: batch.seconds, batchPeakMb: batch.peakMb, readSeconds: read.seconds, readPeakMb: read.peakMb, discardSeconds: discard.seconds };
      runs.push(run);
      options.onRun?.(run, i);
    }
    return {
      samples,
      rows,
      batchSeconds: median(runs.map((r) => r.batchSeconds)),
      readSeconds: median(runs.map((r) => r.readSeconds)),
      batchPeakMb: Math.max(...runs.map((r) => r.batchPeakMb)),
      readPeakMb: Math.max(...runs.map((r) => r.readPeakMb)),
      discardSeconds: median(runs.map((r) => r.discardSeconds)),
      discardAddedRatio: median(runs.map((r) => (r.discardSeconds - r.readSeconds) / r.readSeconds)),
      addedSeconds: median(runs.map((r) => r.batchSeconds - r.readSeconds)),
      addedRatio: median(runs.map((r) => (r.batchSeconds - r.readSeconds) / r.readSeconds)),
      runs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

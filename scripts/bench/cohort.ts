/**
 * Cohort benchmark: a seeded 20,000-sample panel MAF, ranked end to end by
 * `mtbnet batch` (a child process), and read alone by `mtbnet batch --check`
 * (the floor: the same process, start-up, knowledge base and reader, nothing
 * ranked or written), with the peak resident memory of each. Both run the same
 * code, compiled or not (bin/mtbnet.mjs chooses, the same way for both).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMaf } from './generate-maf.ts';
import { ROOT } from './server-process.ts';

export interface CohortBench {
  samples: number;
  rows: number;
  batchSeconds: number;
  batchPeakMb: number;
  readSeconds: number;
  readPeakMb: number;
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

export async function benchCohort(options: { samples?: number } = {}): Promise<CohortBench> {
  const samples = options.samples ?? 20000;
  const dir = mkdtempSync(join(tmpdir(), 'mtbnet-cohort-'));
  try {
    const maf = join(dir, 'cohort.maf');
    const { rows } = await generateMaf(maf, samples);
    const read = await timed([join(ROOT, 'bin/mtbnet.mjs'), 'batch', '--in', maf, '--check']);
    const batch = await timed([join(ROOT, 'bin/mtbnet.mjs'), 'batch', '--in', maf, '--out', join(dir, 'results.jsonl')]);
    return { samples, rows, batchSeconds: batch.seconds, batchPeakMb: batch.peakMb, readSeconds: read.seconds, readPeakMb: read.peakMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

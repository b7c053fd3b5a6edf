/**
 * `npm run bench [-- --quick] [-- --out FILE]`: the benchmark suite of issue 9.
 * Prints one table; with --out writes every figure as JSON, one key per figure.
 * --quick runs a reduced version (smaller cohort, shorter HTTP load) for CI.
 * --cohort-runs N times the cohort N times (default 3, 1 with --quick) and reports medians.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchCohort } from './cohort.ts';
import { writeKbDir } from './generate-kb.ts';
import { benchHttp } from './http.ts';
import { benchRank } from './rank.ts';
import { startServerProcess } from './server-process.ts';
import { median } from './stats.ts';
// @ts-expect-error: a plain ES module script without type declarations
import { buildServer, serverBuildIsFresh } from '../build-server.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIdx = args.indexOf('--out');
const out = outIdx >= 0 ? args[outIdx + 1] : undefined;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : ['rank', 'cohort', 'http', 'startup'];
const workersIdx = args.indexOf('--workers');
const httpWorkers = workersIdx >= 0 ? Number(args[workersIdx + 1]) : 1;
const runsIdx = args.indexOf('--cohort-runs');
const cohortRuns = runsIdx >= 0 ? Number(args[runsIdx + 1]) : undefined;
if (cohortRuns !== undefined && !(Number.isInteger(cohortRuns) && cohortRuns >= 1)) {
  console.error('bench: --cohort-runs takes a whole number of runs, 1 or more (e.g. --cohort-runs 5)');
  process.exit(2);
}

const figures: Record<string, number | string> = {
  machine: `${cpus().length} cores ${cpus()[0]?.model ?? ''}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  quick: quick ? 1 : 0,
};
const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * What else the machine is doing as the benchmark starts: the load average, and data in the page cache still to be
 * written to disk (Linux /proc/meminfo: Dirty + Writeback). Other work's files being written out compete with the
 * cohort runs for the disk and the cores (a run an hour after writing several 761 MB result files measured the batch
 * 10-40% slower, falling as the kernel caught up: docs/performance.md). Written with the figures, and a warning
 * printed, so that such a run is known for what it is.
 */
function machineState(): { load1: number; dirtyMb?: number } {
  let dirtyMb: number | undefined;
  try {
    const info = readFileSync('/proc/meminfo', 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(info)?.[1] ?? 0);
    dirtyMb = Math.round((kb('Dirty') + kb('Writeback')) / 1024);
  } catch {
    // Not Linux: the load average alone.
  }
  return { load1: r2(loadavg()[0] ?? 0), dirtyMb };
}
const before = machineState();
figures.machine_load1_start = before.load1;
if (before.dirtyMb !== undefined) figures.machine_dirty_mb_start = before.dirtyMb;
// The load average lags (it decays over minutes after other work ends): only a load above the cores says busy.
if ((before.dirtyMb ?? 0) > 256 || before.load1 > cpus().length) {
  console.error(
    `bench: the machine is busy: load ${before.load1}${before.dirtyMb !== undefined ? `, ${before.dirtyMb} MB of the page cache still to be written to disk` : ''}. ` +
      'Figures will be slower than on a quiet machine: stop other work and run `sync` first for steady ones.',
  );
}

// Processes started below (server, batch) run what `npm start` runs: the compiled server.
if (!serverBuildIsFresh()) await buildServer();
const table: string[] = [];

if (only.includes('rank')) {
  console.error(`bench: in-process ranking${quick ? ' (quick)' : ''}...`);
  const rank = benchRank({ quick });
  Object.assign(figures, rank.figures);
  table.push('', 'In-process ranking (ms per profile; again: the same profile re-ranked, from the ranking cache)', 'knowledge base  evidence  alterations  p50      p99      again    therapies');
  for (const r of rank.rows) {
    table.push(`${r.kb.padEnd(15)} ${String(r.evidence).padStart(8)}  ${String(r.size).padStart(11)}  ${r.p50.toFixed(4).padStart(7)}  ${r.p99.toFixed(4).padStart(7)}  ${r.repeatP50.toFixed(4).padStart(7)}  ${String(r.therapies).padStart(9)}`);
  }
}

if (only.includes('cohort')) {
  const samples = quick ? 2000 : 20000;
  const runs = cohortRuns ?? (quick ? 1 : 3);
  console.error(`bench: cohort of ${samples} samples, ${runs} run(s) of read only then end to end...`);
  const c = await benchCohort({
    samples,
    runs,
    onRun: (r, i) => console.error(`bench: cohort run ${i + 1}: read ${r.readSeconds.toFixed(2)} s, batch ${r.batchSeconds.toFixed(2)} s, results dropped ${r.discardSeconds.toFixed(2)} s`),
  });
  const key = quick ? 'cohort2k' : 'cohort20k';
  Object.assign(figures, {
    [`${key}_rows`]: c.rows,
    [`${key}_runs`]: c.runs.length,
    [`${key}_s`]: r2(c.batchSeconds),
    [`${key}_read_s`]: r2(c.readSeconds),
    [`${key}_rank_added_s`]: r2(c.addedSeconds),
    [`${key}_rank_added_ratio`]: r2(c.addedRatio),
    [`${key}_peak_mb`]: Math.round(c.batchPeakMb),
    [`${key}_read_peak_mb`]: Math.round(c.readPeakMb),
    [`${key}_s_each`]: c.runs.map((r) => r2(r.batchSeconds)).join(' '),
    [`${key}_read_s_each`]: c.runs.map((r) => r2(r.readSeconds)).join(' '),
    [`${key}_discard_s`]: r2(c.discardSeconds),
    [`${key}_discard_added_ratio`]: r2(c.discardAddedRatio),
    [`${key}_discard_s_each`]: c.runs.map((r) => r2(r.discardSeconds)).join(' '),
  });
  const each = (f: (r: (typeof c.runs)[number]) => number) => (c.runs.length > 1 ? `   (runs: ${c.runs.map((r) => f(r).toFixed(2)).join(', ')})` : '');
  table.push('', `Cohort batch (${c.samples} samples, ${c.rows} MAF rows, end to end incl. start-up; ${c.runs.length > 1 ? `median of ${c.runs.length} runs` : 'one run'})`);
  table.push(`mtbnet batch     ${c.batchSeconds.toFixed(2)} s   peak ${Math.round(c.batchPeakMb)} MB${each((r) => r.batchSeconds)}`);
  table.push(`read MAF only    ${c.readSeconds.toFixed(2)} s   peak ${Math.round(c.readPeakMb)} MB${each((r) => r.readSeconds)}`);
  table.push(`ranking adds     ${c.addedSeconds.toFixed(2)} s, ${c.addedRatio.toFixed(2)} times the reading${each((r) => (r.batchSeconds - r.readSeconds) / r.readSeconds)}`);
  table.push(
    `results dropped  ${c.discardSeconds.toFixed(2)} s, ranking adds ${c.discardAddedRatio.toFixed(2)} times the reading (--out /dev/null: all ranked and written, none stored)${each((r) => r.discardSeconds)}`,
  );
}

if (only.includes('http')) {
  const seconds = quick ? 5 : 30;
  const warmup = quick ? 2 : 5;
  console.error(`bench: HTTP POST /api/rank, 50 connections, ${warmup} s warm-up then ${seconds} s, ${httpWorkers} server process(es)...`);
  const h = await benchHttp({ seconds, warmup, connections: 50, workers: httpWorkers });
  Object.assign(figures, { http_rps: r2(h.rps), http_p50_ms: h.p50, http_p99_ms: h.p99, http_errors: h.errors + h.non2xx, http_requests: h.requests, http_workers: httpWorkers });
  table.push('', `HTTP POST /api/rank (autocannon, 50 connections, ${seconds} s after ${warmup} s of the same load, ${httpWorkers} server process(es))`);
  table.push(`requests/s ${h.rps.toFixed(0)}   p50 ${h.p50} ms   p99 ${h.p99} ms   errors ${h.errors + h.non2xx} of ${h.requests}`);
}

if (only.includes('startup')) {
  console.error('bench: start-up...');
  const runs = quick ? 2 : 5;
  const measure = async (env: Record<string, string>) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = await startServerProcess({ MTBNET_AUTH: 'local', MTBNET_RANK_LIMIT: '0', ...env });
      times.push(s.startup);
      await s.stop();
    }
    return median(times);
  };
  const shipped = await measure({});
  figures.startup_s = r2(shipped);
  table.push('', 'Start-up (process start to first /api/health, median)', `shipped knowledge base  ${shipped.toFixed(2)} s`);
  if (!quick) {
    const dir = mkdtempSync(join(tmpdir(), 'mtbnet-kb100-'));
    try {
      writeKbDir(100, dir);
      const big = await measure({ MTBNET_EVIDENCE_DIR: dir });
      figures.startup_100x_s = r2(big);
      table.push(`100x knowledge base     ${big.toFixed(2)} s`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

console.log(table.join('\n'));
if (out) {
  writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
  console.error(`bench: figures written to ${out}`);
}

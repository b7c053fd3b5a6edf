/**
 * `mtbnet batch --in profiles.jsonl --out results.jsonl`: profiles in (JSONL,
 * MAF, multi-sample VCF, gzip or not), one rank result per line out (same id),
 * progress on stderr. A bad line is reported with its number and skipped; it
 * never ends the run. With --report-dir DIR, one report per profile is written
 * there too (--format pdf|html|fhir|csv; then --out is optional). Sample names
 * (MAF barcodes, VCF sample columns) become pseudonymous IDs unless --sample-map
 * names them; --sample-ids FILE writes which name became which ID.
 */
import { createWriteStream, existsSync, lstatSync, readdirSync, renameSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { finished } from 'node:stream/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { nodeKey, type Agency } from '../../domain/knowledge.ts';
import { checkTumourType } from '../../profile/builder.ts';
import { AppError, formatDetails, InvalidInputError } from '../../domain/errors.ts';
import type { Engine } from '../../engine.ts';
import { createRankPool, defaultWorkers } from '../../batch/pool.ts';
import { openDirectFile } from '../../batch/direct-file.ts';
import type { ProfileFormat } from '../../profile/types.ts';
import { UsageError, type Io } from '../io.ts';
import type { Profile } from '../../domain/profile.ts';
import type { RankResult } from '../../domain/result.ts';
import { rankResultJson } from '../../domain/result-json.ts';
import type { ReportFormat } from '../../report/model.ts';
import { createReportWriter, type ReportWriter } from '../../report/batch-writer.ts';
import { reportDate } from './report.ts';
import { noteSampleIds, readSampleMapFile, writeSampleIds } from '../sample-ids.ts';
import type { SampleIdEntry } from '../../security/pseudonyms.ts';

export interface BatchArgs {
  in?: string;
  out?: string;
  tumour?: string;
  agency?: Agency;
  format?: ProfileFormat;
  /** Worker threads that rank while the main thread reads; 0 ranks in-process. Default: all cores for inputs over 2 MB. */
  workers?: number;
  /** Also write one report per profile into this folder. */
  reportDir?: string;
  reportFormat?: ReportFormat;
  /**
   * Read and check every profile (counts, warnings, the lines that would be skipped), rank
   * nothing and write nothing: a dry run before a long cohort, and the floor the cohort
   * benchmark compares ranking with.
   */
  check?: boolean;
  /** Date of the reports (default SOURCE_DATE_EPOCH, else the input file's modification time). */
  date?: string;
  /** A file of `sample<TAB>case-id` lines: the user's own IDs. */
  sampleMap?: string;
  /** Write which sample name became which ID here. */
  sampleIds?: string;
  /** Seconds between progress lines (default 0.25 on a terminal, where the line is rewritten in place; 5 in a log). */
  progressSeconds?: number;
}

/** Inputs smaller than this are ranked in-process: starting workers costs more than it saves. */
const WORKER_THRESHOLD_BYTES = 2 * 1024 * 1024;

export interface BatchSummary {
  ranked: number;
  skipped: number;
  alterations: number;
  records: number;
  seconds: number;
  reports?: { written: number; failed: number; dir: string };
  /** Which input name became which result id (results only; in input order). */
  sampleIds: SampleIdEntry[];
  /** Entries of the sample map that named no sample of the input. */
  unmapped: number;
  /** The readers' warnings (an unannotated VCF, records not placed, an unknown gene), and how many differ. */
  warnings: number;
  distinctWarnings: number;
  /** Profiles read with no alteration (their results rank nothing). */
  empty: number;
}

/** Distinct reader warnings printed as they come; the rest are counted in the summary. */
const WARNING_LINES = 20;

export async function batchCommand(engine: Engine, args: BatchArgs, io: Io): Promise<number> {
  if (args.check && (args.out || args.reportDir)) throw new UsageError('batch: --check reads only; leave out --out and --report-dir');
  if (!args.in || (!args.out && !args.reportDir && !args.check)) throw new UsageError('batch: give --in profiles.jsonl and --out results.jsonl (or --report-dir DIR, or --check)');
  if (args.out !== undefined && args.in !== '-' && resolve(args.out) === resolve(args.in)) throw new UsageError('batch: --out names the input file; write the results elsewhere');
  if (args.tumour !== undefined) {
    // Checked once here: a bad --tumour would otherwise skip every profile, one error line each.
    const code = checkTumourType(args.tumour, '--tumour', 'batch');
    if (code !== undefined && !engine.kb.graph.hasNode(nodeKey.tumour(code))) {
      io.stderr(`batch: --tumour ${code} is not an OncoTree code of the knowledge base: its evidence counts as another tumour type's (evidence/tumour-types.yaml and GET /api/tumour-types list them)\n`);
    }
  }
  const s = await runBatch(engine, args, io);
  noteSampleIds('batch', s.sampleIds, args.sampleIds, io);
  if (s.unmapped > 0) io.stderr(`batch: ${s.unmapped} entr${s.unmapped === 1 ? 'y' : 'ies'} of the sample map named no sample of the input\n`);
  if (s.warnings > 0) {
    const hidden = s.distinctWarnings > WARNING_LINES ? `; the first ${WARNING_LINES} are shown above, each once` : ', each shown once above';
    io.stderr(`batch: ${s.warnings} reader warning(s), ${s.distinctWarnings} distinct${hidden}\n`);
  }
  if (s.empty > 0) io.stderr(`batch: ${s.empty} profile(s) with no alteration: their results rank nothing (see the reader warnings)\n`);
  const reports = s.reports ? `; ${s.reports.written} ${args.reportFormat} report(s) -> ${s.reports.dir}${s.reports.failed ? ` (${s.reports.failed} failed)` : ''}` : '';
  io.stderr(
    `batch: ${s.ranked} profile(s) ${args.check ? 'read (checked, none ranked)' : 'ranked'}, ${s.skipped} skipped; ${s.alterations} alteration(s) read from ${s.records} record(s); ${s.seconds.toFixed(2)} s, peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB${args.out ? ` -> ${args.out}` : ''}${reports}\n`,
  );
  if (s.reports?.failed) return 1;
  // A cohort job that lost lines must not pass for a complete one in a script or a scheduler: finished, but not whole.
  if (s.skipped > 0) {
    io.stderr(`batch: exit status ${SKIPPED_EXIT}: ${s.skipped} line(s) skipped (named above); ${args.check ? 'mend them before the run' : 'the other profiles were ranked and written'}\n`);
    return SKIPPED_EXIT;
  }
  return 0;
}

/**
 * V8 settings for a process whose threads keep every core busy (set once it uses ranking threads, for the whole
 * process from then on; a run without workers, `--check` or a small input, keeps V8's defaults, as its collecting
 * and compiling have an idle core to themselves). Each flag is read when a collection or a compilation starts, so
 * setting it while the process runs is safe, and neither changes what the code computes.
 * - Each young-generation collection runs on its own thread only (--no-parallel-scavenge): a collection's helper
 *   tasks would only take a core from another thread and add the cost of sharing the work out. A 20,000-sample
 *   cohort took 3.40 s against 3.50 s (medians of ten alternated runs on 2 cores; CPU 6.21 against 6.30 s, V8's
 *   helper threads 1.1 against 1.3 s).
 * - The optimising compiler inlines less into each function it compiles (--max-inlined-bytecode-size-cumulative,
 *   300 bytes of bytecode against V8's 920). Each ranking thread compiles the ranking code anew (isolates share no
 *   compiled code), and that compiling competes with reading and ranking for the cores: a cohort's compile time
 *   fell from 1,271 to 857 ms, while the compiled code ranks as fast (a warm single-thread loop over the cohort:
 *   1.75-1.81 s either way). 2.70 against 2.78 s (medians of 14 alternated runs; CPU 4.88 against 4.96 s).
 */
function tuneForBusyCores(): void {
  setFlagsFromString('--no-parallel-scavenge');
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=300');
}

/**
 * Earlier results set aside as `<out>.old-<pid>` by a run that was killed before it removed them: only regular files
 * of that exact name whose process no longer runs (a run still going removes its own).
 */
function staleOldResults(out: string): string[] {
  const dir = dirname(resolve(out));
  const prefix = `${basename(out)}.old-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const stale: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = name.slice(prefix.length);
    if (!/^[1-9]\d{0,9}$/.test(pid) || Number(pid) === process.pid || running(Number(pid))) continue;
    const file = join(dir, name);
    // Gone meanwhile (another run removed it): nothing to do.
    if (lstatSync(file, { throwIfNoEntry: false })?.isFile()) stale.push(file);
  }
  return stale;
}

/** Does a process of this id run? (EPERM: it does, as another user's.) */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The exit status of a batch that finished with some lines skipped (1: reports failed; 2: usage or unreadable input). */
export const SKIPPED_EXIT = 3;

export async function runBatch(engine: Engine, args: BatchArgs, io: Io): Promise<BatchSummary> {
  const t0 = performance.now();
  if (args.in !== '-' && !existsSync(args.in!)) {
    throw new InvalidInputError(`batch: cannot read ${args.in}: no such file`, [{ path: args.in, message: 'check the path' }]);
  }
  const source = args.in === '-' ? process.stdin : { path: args.in! };
  const naming = engine.naming(args.sampleMap ? readSampleMapFile(args.sampleMap) : undefined);
  /** Ids of the results, to list only names that gave one (a file's own name may be registered but unused). */
  const yielded = new Set<string>();
  const reportsDate = args.reportDir ? reportDate(args.date, args.in === '-' ? undefined : args.in) : undefined;
  // Results go to a file beside --out, renamed to it once the run is complete: a run stopped half-way (killed, a full
  // disk, a bad record) never leaves a truncated file under the name a pipeline waits for. A device or pipe
  // (/dev/stdout, a FIFO) is written directly.
  const existing = args.out !== undefined && existsSync(args.out) ? lstatSync(args.out) : undefined;
  const direct = existing !== undefined && !existing.isFile(); // also a symbolic link: written through, never replaced
  const outPath = args.out === undefined ? undefined : direct ? args.out : `${args.out}.partial-${process.pid}`;
  // The results of an earlier run go at once: a run that fails must not leave them looking like this run's. Their
  // name goes now; the file itself is removed on a libuv thread meanwhile (freeing a cohort's 760 MB of pages takes
  // the kernel 0.1 s, which the reading thread no longer waits for at start-up).
  const oldResults = existing?.isFile() ? `${args.out}.old-${process.pid}` : undefined;
  if (oldResults !== undefined) renameSync(args.out!, oldResults);
  // Also those a run killed before it could remove them left beside --out (their process is gone).
  const stale = args.out !== undefined && !direct ? staleOldResults(args.out) : [];
  const removingOld = oldResults === undefined && stale.length === 0 ? undefined : Promise.all(
    [...(oldResults === undefined ? [] : [oldResults]), ...stale].map((f) => rm(f, { force: true }).then(
      () => undefined,
      (e: Error) => io.stderr(`batch: could not remove the earlier results (${e.message}); remove ${f} by hand\n`),
    )),
  ).then(() => undefined);
  const size = args.in === '-' ? 0 : statSync(args.in!).size;
  // Reports are slower than ranking: rank in-process unless workers are asked for.
  const workers = args.check ? 0 : (args.workers ?? (size >= WORKER_THRESHOLD_BYTES && !args.reportDir ? defaultWorkers() : 0));
  // A cohort ranked on workers into a file of its own is written around the page cache where the system allows
  // (direct-file.ts: the same bytes, without filling memory with results no one reads back here); else as a stream.
  const directOut = outPath !== undefined && outPath !== args.out && workers > 0 ? openDirectFile(outPath) : undefined;
  const out = outPath && !directOut ? createWriteStream(outPath) : undefined;
  /** The first error writing the results (a full disk, say): the run stops with it, and says so. */
  let outError: Error | undefined;
  const cannotWrite = (e: Error) =>
    new AppError('write_failed', `batch: cannot write ${args.out}: ${e.message}`, 500, [
      { path: args.out, message: `free space on its disk or choose another --out; the results written before the error are in ${outPath}` },
    ]);
  if (out) {
    out.on('error', (e) => (outError ??= e));
    await once(out, 'open');
  }
  let ranked = 0;
  /** Result lines the workers have written (they rank behind the reading). */
  let resultsWritten = 0;
  let skipped = 0;
  let alterations = 0;
  let records = 0;
  let warnings = 0;
  /** Each distinct warning message (its line number apart): printed once, the first WARNING_LINES of them. */
  const warningMessages = new Set<string>();
  let empty = 0;
  let lastReport = t0;
  const tty = process.stderr.isTTY === true;
  const every = (args.progressSeconds ?? (tty ? 0.25 : 5)) * 1000;
  const progress = (final = false) => {
    const s = (performance.now() - t0) / 1000;
    const done = reporter ? `, ${reporter.written} report(s) written${reporter.failed ? `, ${reporter.failed} failed` : ''}` : '';
    // With workers, ranking runs behind reading (pool.ts queues what is read): say how far each has come.
    const behind = pool && resultsWritten < ranked ? `, ${resultsWritten} ranked` : '';
    // The rate of finished profiles: those ranked once ranking runs behind.
    const finished = pool ? resultsWritten : ranked;
    const line = `batch: ${ranked} read${behind}, ${skipped} skipped, ${records} records${done} (${Math.round(finished / Math.max(s, 1e-3))} profiles/s)`;
    io.stderr(tty && !final ? `\r${line}` : `${line}\n`);
  };
  const reporter: ReportWriter | undefined = args.reportDir
    ? await createReportWriter({
        dir: args.reportDir,
        format: args.reportFormat ?? 'pdf',
        date: reportsDate!,
        engine,
        onError: (id, e) => io.stderr(`${tty ? '\n' : ''}batch: report of ${id} failed: ${e.message}\n`),
      })
    : undefined;
  // Profiles waiting for their result from the workers (results come back in input order).
  const pending: Profile[] = [];
  // Resolves once the bytes are written (the pool then hands their buffer back to the worker for another chunk).
  const write = async (lines: Buffer, count: number) => {
    resultsWritten += count;
    if (directOut) await directOut.write(lines).catch((e: Error) => Promise.reject(cannotWrite(e)));
    else if (out) await new Promise<void>((resolve, reject) => out.write(lines, (e) => (e ? reject(cannotWrite(e)) : resolve())));
    if (reporter) {
      for (const line of lines.toString('utf8').split('\n')) if (line) await reporter.push(pending.shift()!, JSON.parse(line) as RankResult);
    }
  };
  // With reports, each profile waits in `pending` until its result comes: the queue stays short, and every worker
  // ranks from the start (nothing to gain from reading ahead when writing reports is the slow part).
  const queue = reporter ? { activeWhileReading: workers, queueLimit: workers * 12 } : {};
  if (workers > 0) tuneForBusyCores();
  const pool = workers > 0
    ? await createRankPool({ workers, graph: engine.kb.graph, scoring: engine.scoring, agency: args.agency, ...queue }, (lines, count) => write(lines, count))
    : undefined;
  try {
    for await (const r of engine.readAll(source, {
      format: args.format,
      tumourType: args.tumour,
      continueOnError: true,
      naming,
      filename: args.in === '-' ? undefined : basename(args.in!),
      onProgress: (p) => {
        records = p.records;
      },
    })) {
      if (outError) throw cannotWrite(outError);
      yielded.add(r.profile.id);
      if (r.error) {
        skipped++;
        const detail = r.error.details.length > 0 ? `: ${formatDetails(r.error.details).replace(/\n/g, '; ')}` : '';
        io.stderr(`${tty ? '\n' : ''}batch: ${r.error.message}${detail} (skipped)\n`);
        continue;
      }
      for (const w of r.warnings) {
        warnings++;
        if (warningMessages.has(w.message)) continue;
        warningMessages.add(w.message);
        if (warningMessages.size <= WARNING_LINES) io.stderr(`${tty ? '\n' : ''}batch: ${r.profile.id}: ${w.line !== undefined ? `line ${w.line}: ` : ''}${w.message}\n`);
      }
      if (r.profile.alterations.length === 0) empty++;
      alterations += r.profile.alterations.length;
      if (reporter) pending.push(r.profile);
      if (pool) {
        // Undefined while the chunk being filled has room: no await (and no microtask) for most profiles.
        const room = pool.push(r.profile);
        if (room !== undefined) await room;
      }
      else if (!args.check) {
        const result = engine.rank(r.profile, { agency: args.agency });
        if (out && !out.write(`${rankResultJson(result)}\n`)) await once(out, 'drain').catch((e: Error) => Promise.reject(cannotWrite(e)));
        if (reporter) await reporter.push(pending.shift()!, result);
      }
      ranked++;
      const now = performance.now();
      if (now - lastReport > every) {
        lastReport = now;
        progress();
      }
    }
    if (pool) {
      // Everything is read; the queued profiles are still being ranked: progress goes on meanwhile.
      const ticking = setInterval(progress, every);
      try {
        await pool.close();
      } finally {
        clearInterval(ticking);
      }
    }
  } catch (err) {
    // A reader or worker failure ends the run: stop the workers so that the process can exit.
    await pool?.abort();
    if (outPath !== args.out) io.stderr(`${tty ? '\n' : ''}batch: the run stopped; the results ranked before it are in ${outPath} (${args.out} is not written)\n`);
    throw err;
  } finally {
    await removingOld;
    await reporter?.close();
    // Its last bytes written and the file cut to length; an error here (a full disk) fails the run as a stream's.
    if (directOut) await directOut.close().catch((e: Error) => (outError ??= e));
    if (out) {
      out.end();
      // Settles even when the stream failed before (waiting for 'finish' would not).
      await finished(out).catch((e: Error) => (outError ??= e));
    }
  }
  if (outError) throw cannotWrite(outError);
  if (outPath !== undefined && outPath !== args.out) renameSync(outPath, args.out!);
  progress(true);
  const sampleIds = naming.entries().filter((e) => yielded.has(e.id));
  if (args.sampleIds) writeSampleIds(args.sampleIds, sampleIds);
  return {
    ranked, skipped, alterations, records, seconds: (performance.now() - t0) / 1000, sampleIds, unmapped: naming.unused(),
    warnings, distinctWarnings: warningMessages.size, empty,
    ...(reporter ? { reports: { written: reporter.written, failed: reporter.failed, dir: args.reportDir! } } : {}),
  };
}

/**
 * `mtbnet batch --in profiles.jsonl --out results.jsonl`: profiles in (JSONL,
 * MAF, multi-sample VCF, gzip or not), one rank result per line out (same id),
 * progress on stderr. A bad line is reported with its number and skipped; it
 * never ends the run.
 */
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { basename } from 'node:path';
import type { Agency } from '../../domain/knowledge.ts';
import { formatDetails, InvalidInputError } from '../../domain/errors.ts';
import type { Engine, EngineOptions } from '../../engine.ts';
import { createRankPool, defaultWorkers } from '../../batch/pool.ts';
import type { ProfileFormat } from '../../profile/types.ts';
import { UsageError, type Io } from '../io.ts';

export interface BatchArgs {
  in?: string;
  out?: string;
  tumour?: string;
  agency?: Agency;
  format?: ProfileFormat;
  /** Worker threads that rank while the main thread reads; 0 ranks in-process. Default: all cores for inputs over 2 MB. */
  workers?: number;
  /** How the workers load the knowledge base (the same options as the engine's). */
  engineOptions?: EngineOptions;
}

/** Inputs smaller than this are ranked in-process: starting workers costs more than it saves. */
const WORKER_THRESHOLD_BYTES = 2 * 1024 * 1024;

export interface BatchSummary {
  ranked: number;
  skipped: number;
  alterations: number;
  records: number;
  seconds: number;
}

export async function batchCommand(engine: Engine, args: BatchArgs, io: Io): Promise<number> {
  if (!args.in || !args.out) throw new UsageError('batch: give --in profiles.jsonl and --out results.jsonl');
  const s = await runBatch(engine, args, io);
  io.stderr(
    `batch: ${s.ranked} profile(s) ranked, ${s.skipped} skipped; ${s.alterations} alteration(s) read from ${s.records} record(s); ${s.seconds.toFixed(2)} s, peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB -> ${args.out}\n`,
  );
  return 0;
}

export async function runBatch(engine: Engine, args: BatchArgs, io: Io): Promise<BatchSummary> {
  const t0 = performance.now();
  if (args.in !== '-' && !existsSync(args.in!)) {
    throw new InvalidInputError(`batch: cannot read ${args.in}: no such file`, [{ path: args.in, message: 'check the path' }]);
  }
  const source = args.in === '-' ? process.stdin : { path: args.in! };
  const out = createWriteStream(args.out!);
  await once(out, 'open');
  let ranked = 0;
  let skipped = 0;
  let alterations = 0;
  let records = 0;
  let lastReport = t0;
  const tty = process.stderr.isTTY === true;
  const progress = (final = false) => {
    const s = (performance.now() - t0) / 1000;
    const line = `batch: ${ranked} read, ${skipped} skipped, ${records} records (${Math.round(ranked / Math.max(s, 1e-3))} profiles/s)`;
    io.stderr(tty && !final ? `\r${line}` : `${line}\n`);
  };
  const size = args.in === '-' ? 0 : statSync(args.in!).size;
  const workers = args.workers ?? (size >= WORKER_THRESHOLD_BYTES ? defaultWorkers() : 0);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const pool = workers > 0 ? await createRankPool({ workers, engine: args.engineOptions ?? {}, agency: args.agency }, (text) => write(text)) : undefined;
  try {
    for await (const r of engine.readAll(source, {
      format: args.format,
      tumourType: args.tumour,
      continueOnError: true,
      filename: args.in === '-' ? undefined : basename(args.in!),
      onProgress: (p) => {
        records = p.records;
      },
    })) {
      if (r.error) {
        skipped++;
        const detail = r.error.details.length > 0 ? `: ${formatDetails(r.error.details).replace(/\n/g, '; ')}` : '';
        io.stderr(`${tty ? '\n' : ''}batch: ${r.error.message}${detail} (skipped)\n`);
        continue;
      }
      alterations += r.profile.alterations.length;
      if (pool) await pool.push(r.profile);
      else await write(`${JSON.stringify(engine.rank(r.profile, { agency: args.agency }))}\n`);
      ranked++;
      const now = performance.now();
      if (now - lastReport > (tty ? 250 : 5000)) {
        lastReport = now;
        progress();
      }
    }
    await pool?.close();
  } finally {
    out.end();
    await once(out, 'finish');
  }
  progress(true);
  return { ranked, skipped, alterations, records, seconds: (performance.now() - t0) / 1000 };
}

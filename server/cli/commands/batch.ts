/**
 * `mtbnet batch --in profiles.jsonl --out results.jsonl`: one JSON profile per
 * line in, one rank result per line out (same id), progress on stderr. A bad
 * line is reported with its number and skipped; it never ends the run.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Agency } from '../../domain/knowledge.ts';
import { AppError, formatDetails, InvalidInputError } from '../../domain/errors.ts';
import type { Engine } from '../../engine.ts';
import { UsageError, type Io } from '../io.ts';

export interface BatchArgs {
  in?: string;
  out?: string;
  tumour?: string;
  agency?: Agency;
}

export interface BatchSummary {
  lines: number;
  ranked: number;
  skipped: number;
  seconds: number;
}

export async function batchCommand(engine: Engine, args: BatchArgs, io: Io): Promise<number> {
  if (!args.in || !args.out) throw new UsageError('batch: give --in profiles.jsonl and --out results.jsonl');
  const summary = await runBatch(engine, args, io);
  io.stderr(
    `batch: ${summary.ranked} profile(s) ranked, ${summary.skipped} line(s) skipped, in ${summary.seconds.toFixed(2)} s -> ${args.out}\n`,
  );
  return 0;
}

export async function runBatch(engine: Engine, args: BatchArgs, io: Io): Promise<BatchSummary> {
  const t0 = performance.now();
  let input: NodeJS.ReadableStream = args.in === '-' ? process.stdin : createReadStream(args.in!);
  if (args.in!.endsWith('.gz')) input = input.pipe(createGunzip());
  const inputError = new Promise<never>((_, reject) =>
    (input as NodeJS.EventEmitter).once('error', (e: NodeJS.ErrnoException) =>
      reject(new InvalidInputError(`batch: cannot read ${args.in}: ${e.code ?? e.message}`, [{ path: args.in, message: 'check the path' }])),
    ),
  );
  const out = createWriteStream(args.out!);
  const outReady = once(out, 'open');
  await Promise.race([outReady, inputError]);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  let ranked = 0;
  let skipped = 0;
  let lastReport = t0;
  const progress = (final = false) => {
    const s = (performance.now() - t0) / 1000;
    io.stderr(`${final ? '' : '\r'}batch: ${ranked} ranked, ${skipped} skipped (${Math.round(ranked / Math.max(s, 1e-3))}/s)${final ? '\n' : ''}`);
  };
  const iterate = (async () => {
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      try {
        const { profile } = engine.parse({ text: line, format: 'json', tumourType: args.tumour, defaultId: `line-${n}` });
        const result = engine.rank(profile, { agency: args.agency });
        if (!out.write(`${JSON.stringify(result)}\n`)) await once(out, 'drain');
        ranked++;
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        skipped++;
        const detail = e.details.length > 0 ? `: ${formatDetails(e.details).replace(/\n/g, '; ')}` : '';
        io.stderr(`\nbatch: line ${n}: ${e.message}${detail} (skipped)\n`);
      }
      const now = performance.now();
      if (now - lastReport > 500) {
        lastReport = now;
        progress();
      }
    }
  })();
  await Promise.race([iterate, inputError]);
  out.end();
  await once(out, 'finish');
  progress(true);
  return { lines: n, ranked, skipped, seconds: (performance.now() - t0) / 1000 };
}

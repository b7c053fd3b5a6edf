/**
 * Rank a stream of profiles on worker threads, in order: the main thread reads
 * and writes, workers rank and serialise. Chunks keep messages few; a bound on
 * chunks in flight (until written) and one on the bytes of results not yet
 * written keep memory bounded however large the cohort. While the
 * main thread reads, no more threads rank than leave a core to it: the others
 * start once everything is read (or the queue is full).
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { Profile } from '../domain/profile.ts';
import type { Agency } from '../domain/knowledge.ts';
import type { EvidenceGraphLike, ScoringOptionsInput } from '../scoring/index.ts';
import type { ChunkRequest, ChunkResult, Recycle, WorkerInit } from './worker.ts';
import { profileLine } from './profile-lines.ts';

export interface PoolOptions {
  /**
   * The knowledge base to rank against: the caller's own (engine.kb.graph), exported once and cloned into each
   * worker. The workers then rank against exactly what the caller loaded (evidence files edited during a run change
   * nothing), and start in about a tenth of the time loading it again would take (no YAML to parse and validate).
   */
  graph: EvidenceGraphLike;
  /** The engine's scoring options (engine.scoring). */
  scoring?: ScoringOptionsInput;
  agency?: Agency;
  workers?: number;
  /** Most profiles in one chunk (default 100); a chunk also ends at CHUNK_TEXT_LIMIT characters of JSON. */
  chunkSize?: number;
  /**
   * Workers that rank while the caller is still pushing (default: one fewer than the cores, at least one); the
   * others start at close(), or as soon as the queue is full. See QUEUE_LIMIT.
   */
  activeWhileReading?: number;
  /** Chunks queued, being ranked or waiting to be written before `push` waits (default QUEUE_LIMIT). */
  queueLimit?: number;
  /** Bytes of results waiting to be written before `push` waits (default RESULT_BYTES_LIMIT). */
  resultBytesLimit?: number;
}

export interface RankPool {
  /**
   * Queue one profile. Undefined when there is room for more; else a promise that resolves when there is
   * (backpressure). Most pushes only add a line to the chunk being filled: no promise to make and await for each of
   * a cohort's profiles.
   */
  push(profile: Profile): Promise<void> | undefined;
  /** Flush and wait for every result; the callback has received all lines in order. Rejects if a worker failed. */
  close(): Promise<void>;
  /**
   * Stop the workers without waiting for results (after the caller failed), once the write under way (if any) has
   * settled; close() does it otherwise.
   */
  abort(): Promise<void>;
  /** Bytes of results received and not yet written, now and at most so far (what the bound on them holds). */
  unwritten(): { bytes: number; peak: number };
}

/**
 * Chunks travel as UTF-8 (worker.ts: ChunkRequest). The round trip is exact: JSON.stringify writes a lone surrogate
 * as an escape, so the text holds none for the encoder to replace.
 */
const utf8 = new TextEncoder();

/**
 * A chunk's JSON text stays within this many characters (48K: at most 96 KB, two bytes a character at worst), so
 * that the string stays below V8's large-object size (128 KB). Larger strings get pages of their own,
 * mapped when made and unmapped when collected, on both sides: flattening the chunk to send it, and reading it in
 * the worker. A 20,000-sample cohort's profiles (about 2.2 KB each, so 220 KB to a chunk of 100) took some 20,000
 * fresh pages that way, and a fresh page is what costs most on a virtual machine whose host takes freed memory
 * back (docs/performance.md): 1.4-2.1 s of the kernel's time against 0.9-1.0 s with chunks of about 20 profiles.
 */
export const CHUNK_TEXT_LIMIT = 48 * 1024;
/**
 * Chunks queued or being ranked at most (at most 48 M characters of profiles' lines: about 44,000 cohort profiles,
 * packed by profile-lines.ts), beyond which `push` waits. While the reading thread reads, only `activeWhileReading`
 * workers rank, and the queue grows: three busy threads on two cores (the reader and two ranking threads) thrash
 * each other's caches and lose the time slices they wait for: a 20,000-sample cohort took 5.16 s (median of eight runs; CPU 9.0 s) with both
 * threads ranking from the start and at most 24 chunks queued, against 4.63 s (CPU 8.3 s) with the second thread
 * starting once the reader is done, run alternately (docs/performance.md).
 */
export const QUEUE_LIMIT = 1024;
/**
 * Bytes of ranked results not yet written beyond which `push` waits (and every worker ranks). Results are far larger
 * than profiles (a cohort profile of 2 KB ranks to 38 KB of JSON), so a bound on chunks alone let them pile up once
 * the ranking threads outran the writing: 60,000 small profiles took 1.3 GB and 8.4 s, and 3.5 GB at 180,000.
 */
export const RESULT_BYTES_LIMIT = 512 << 20;
/** Chunks a worker holds at once: its next chunk is there when it finishes one, whatever the reading thread is doing. */
const CHUNKS_PER_WORKER = 2;

/** Ranking threads run this many nice steps below the reading thread (worker.ts, yieldToReader). */
export const RANKING_NICENESS = 10;

/**
 * The workers, each given a clone of the knowledge base's export. Made apart from the pool's closures, so that the
 * export (as large as the knowledge base) is not kept once cloned.
 */
function startWorkers(n: number, options: PoolOptions): Worker[] {
  const init: WorkerInit = { graph: options.graph.export(), scoring: options.scoring, agency: options.agency, nicer: RANKING_NICENESS };
  // A plain-JS entry registers tsx's loader inside each worker thread, then loads worker.ts.
  return Array.from({ length: n }, () => new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: init }));
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Workers that rank while the caller reads: one core is the reader's. */
export function defaultActiveWhileReading(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * `onLines` receives each chunk's UTF-8 JSON lines, in input order, and which worker wrote them (its index); the
 * bytes are the caller's until what it returns has settled, then they go back to the worker that wrote them (to
 * write a later chunk into), so it must not keep them.
 */
export async function createRankPool(
  options: PoolOptions,
  onLines: (lines: Buffer, count: number, worker: number) => Promise<void> | void,
): Promise<RankPool> {
  const n = options.workers ?? defaultWorkers();
  const chunkSize = options.chunkSize ?? 100;
  const queueLimit = Math.max(1, Math.floor(options.queueLimit ?? QUEUE_LIMIT) || QUEUE_LIMIT);
  const workers = startWorkers(n, options);
  /**
   * Workers that take no chunk yet: all but the first `activeWhileReading` (they start, load the ranking code and
   * build their graph meanwhile), until close() or a full queue.
   */
  const held = new Set(workers.slice(Math.max(1, Math.floor(options.activeWhileReading ?? defaultActiveWhileReading()) || 1)));
  /** Chunks each worker holds (CHUNKS_PER_WORKER at most). */
  const holds = new Map<Worker, number>();
  let failed: Error | undefined;
  let seq = 0;
  let nextToWrite = 0;
  let inFlight = 0;
  /** Bytes of results received and not yet written. */
  let unwritten = 0;
  let peakUnwritten = 0;
  const resultBytesLimit = options.resultBytesLimit ?? RESULT_BYTES_LIMIT;
  /** Must the reader wait? Too many chunks in flight, or too many results not yet written. */
  const full = () => inFlight >= queueLimit || unwritten > resultBytesLimit;
  /**
   * The chunk being filled, as JSON text: each profile is written as it comes, so that it can be collected young
   * (held until its chunk was full, a reader's profiles outlived a young-generation collection and were copied).
   */
  let chunk = '';
  let inChunk = 0;
  const done = new Map<number, { result: ChunkResult; from: Worker }>();
  // Workers join as they become ready (each builds its graph and loads the ranking code): the caller reads meanwhile, and chunks queue.
  const ready: Worker[] = [];
  const waiting: Array<() => void> = [];
  let writing = Promise.resolve();
  const fail = (e: Error) => {
    failed ??= e;
    waiting.splice(0).forEach((f) => f());
  };

  const drain = () => {
    // Results are written strictly in input order.
    while (done.has(nextToWrite)) {
      const { result: r, from } = done.get(nextToWrite)!;
      done.delete(nextToWrite);
      nextToWrite++;
      const lines = Buffer.from(r.lines.buffer, r.lines.byteOffset, r.lines.byteLength);
      // Read now: once written, the buffer moves back to its worker and reads as empty here.
      const bytes = r.lines.byteLength;
      writing = writing
        .then(async () => {
          if (failed) return;
          await onLines(lines, r.count, workers.indexOf(from));
          // Written: the buffer goes back to its worker, for a later chunk (close() waits for every write first).
          from.postMessage({ recycle: r.lines.buffer as ArrayBuffer } satisfies Recycle, [r.lines.buffer as ArrayBuffer]);
        })
        // A chunk is in flight until its lines are written, not only ranked: results waiting for the disk count too.
        .finally(() => {
          inFlight--;
          unwritten -= bytes;
          dispatchQueued();
          waiting.shift()?.();
        })
        // The caller could not take the lines (a full disk): the run fails with its error, as for a worker's.
        .catch((e: unknown) => fail(e instanceof Error ? e : new Error(String(e))));
    }
  };
  /** One per worker: settled when it is ready or has failed (close() waits for both, even with nothing to rank). */
  const started: Array<Promise<void>> = [];
  for (const w of workers) {
    let settle!: () => void;
    started.push(new Promise<void>((r) => (settle = r)));
    w.once('error', () => settle());
    w.once('message', () => {
      settle();
      holds.set(w, 0);
      ready.push(w);
      dispatchQueued();
      w.on('message', onResult);
    });
    const onResult = (r: ChunkResult) => {
      done.set(r.seq, { result: r, from: w });
      unwritten += r.lines.byteLength;
      if (unwritten > peakUnwritten) peakUnwritten = unwritten;
      holds.set(w, holds.get(w)! - 1);
      drain();
      dispatchQueued();
    };
    w.on('error', fail);
  }
  const queue: ChunkRequest[] = [];
  /** Chunks go to the ready workers not held back, each up to CHUNKS_PER_WORKER, in turn. */
  const dispatchQueued = () => {
    // Writing is behind (a slow disk): the workers wait for it too, so that results do not pile up in memory.
    if (unwritten > resultBytesLimit) return;
    for (let given = true; given && queue.length > 0; ) {
      given = false;
      for (const w of ready) {
        if (queue.length === 0) break;
        if (held.has(w) || holds.get(w)! >= CHUNKS_PER_WORKER) continue;
        const next = queue.shift()!;
        w.postMessage(next, [next.profiles.buffer as ArrayBuffer]);
        holds.set(w, holds.get(w)! + 1);
        given = true;
      }
    }
  };
  /** Every worker ranks from now on. */
  const release = () => {
    if (held.size === 0) return;
    held.clear();
    dispatchQueued();
  };
  const send = () => {
    inFlight++;
    // As UTF-8 bytes, off the reading thread's heap while queued, and moved to the worker (worker.ts: ChunkRequest).
    queue.push({ seq: seq++, profiles: utf8.encode(chunk) });
    chunk = '';
    inChunk = 0;
    dispatchQueued();
  };

  /** Send the chunk, then wait while as many chunks as allowed are in flight (backpressure on the reader). */
  const sendAndWait = async () => {
    send();
    // A full queue: the reader will wait, so the workers held back for it rank too.
    if (full()) release();
    while (full() && !failed) await new Promise<void>((r) => waiting.push(r));
    if (failed) throw failed;
  };

  return {
    push(profile) {
      if (failed) return Promise.reject(failed);
      // One profile per line: JSON text holds no raw line break (JSON.stringify escapes those in strings).
      const line = profileLine(profile) + '\n';
      // A profile that would take the chunk past the limit starts the next one (one larger alone goes by itself).
      if (inChunk > 0 && chunk.length + line.length > CHUNK_TEXT_LIMIT) {
        return sendAndWait().then(() => {
          chunk += line;
          inChunk++;
          if (inChunk >= chunkSize) return sendAndWait();
        });
      }
      chunk += line;
      inChunk++;
      return inChunk >= chunkSize ? sendAndWait() : undefined;
    },
    async close() {
      if (inChunk > 0) send();
      release();
      await Promise.all(started);
      while (inFlight > 0 && !failed) await new Promise<void>((r) => waiting.push(r));
      await writing;
      await Promise.all(workers.map((w) => w.terminate()));
      if (failed) throw failed;
    },
    async abort() {
      // The caller has failed: no more lines go to it, and the write under way settles before the caller closes
      // its file (which it would otherwise close under that write).
      failed ??= new Error('the batch stopped');
      await writing;
      await Promise.all(workers.map((w) => w.terminate()));
    },
    unwritten: () => ({ bytes: unwritten, peak: peakUnwritten }),
  };
}

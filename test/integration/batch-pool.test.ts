/**
 * The batch's worker pool (server/batch/pool.ts), with real worker threads:
 * results come back in input order, the same bytes as ranking in-process,
 * whether chunks were queued before the workers were ready or not; while the
 * caller reads, only the workers that leave it a core rank, the others join
 * at close() or when the queue is full; the workers rank against the caller's
 * knowledge base, not the evidence files; a worker that cannot start fails the
 * run with its error instead of hanging it.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../server/engine.ts';
import { CHUNK_TEXT_LIMIT, createRankPool, QUEUE_LIMIT, RANKING_NICENESS } from '../../server/batch/pool.ts';
import { rankResultJson } from '../../server/domain/result-json.ts';
import type { Profile } from '../../server/domain/profile.ts';
import { Worker } from 'node:worker_threads';
import type { ChunkRequest, ChunkResult, Recycle, WorkerInit } from '../../server/batch/worker.ts';
import { profileLine } from '../../server/batch/profile-lines.ts';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EVIDENCE_DIR } from '../../server/evidence/load.ts';
import type { EvidenceGraphLike } from '../../server/scoring/index.ts';
import { getPriority } from 'node:os';

const engine = createEngine();
const ALTERATIONS = [
  { gene: 'EGFR', kind: 'mutation', change: 'L858R' },
  { gene: 'KRAS', kind: 'mutation', change: 'G12C' },
  { gene: 'BRAF', kind: 'mutation', change: 'V600E' },
  { gene: 'ERBB2', kind: 'amplification' },
  { gene: 'TP53', kind: 'mutation', change: 'R273H' },
  { gene: 'CDKN2A', kind: 'deletion' },
];
const TUMOURS = ['LUAD', 'COADREAD', 'MEL', 'BRCA'];

function profiles(n: number): Profile[] {
  return Array.from({ length: n }, (_, i) =>
    engine.normalise({ id: `p${i}`, tumourType: TUMOURS[i % TUMOURS.length], alterations: ALTERATIONS.filter((_, j) => (i >> j) % 2 === 1 || j === i % 6) }),
  );
}

describe('createRankPool', () => {
  it('returns every result in input order, byte for byte what in-process ranking writes', async () => {
    const input = profiles(730); // chunks ended by the text limit, the last one short
    const chunks: Buffer[] = [];
    const counts: number[] = [];
    // Every profile is pushed at once: the first chunks queue while the workers still build their knowledge base.
    const pool = await createRankPool({ workers: 2, graph: engine.kb.graph }, (lines, count) => {
      chunks.push(Buffer.from(lines));
      counts.push(count);
    });
    for (const p of input) await pool.push(p);
    await pool.close();
    const expected = input.map((p) => `${rankResultJson(engine.rank(p))}\n`).join('');
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(730);
  });

  it('carries text outside ASCII to the workers and back unchanged (profiles cross as UTF-8 bytes)', async () => {
    // Not a normalised profile (IDs are ASCII there): the pool takes any profile, and ranking echoes the id back.
    // A lone surrogate too, which JSON.stringify escapes, so no encoder ever sees it.
    const ids = ['prøve-1', '検体-2', 'emoji-\u{1F9EC}', 'lone-\ud800-surrogate'];
    const input = ids.map((id, i) => ({ ...profiles(6)[i + 1]!, id }));
    const chunks: Buffer[] = [];
    const pool = await createRankPool({ workers: 1, graph: engine.kb.graph, chunkSize: 2 }, (lines) => {
      chunks.push(Buffer.from(lines));
    });
    for (const p of input) await pool.push(p);
    await pool.close();
    const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(ids);
    expect(lines).toEqual(input.map((p) => rankResultJson(engine.rank(p))));
  });

  it('keeps ranked results waiting for a slow writer within the bound (the workers wait too), the results unchanged', async () => {
    const input = profiles(400);
    const sizes: number[] = [];
    const chunks: Buffer[] = [];
    const run = async (resultBytesLimit?: number) => {
      chunks.length = 0;
      // A writer slower than ranking (a slow disk).
      const pool = await createRankPool({ workers: 2, graph: engine.kb.graph, chunkSize: 10, resultBytesLimit }, async (lines) => {
        sizes.push(lines.byteLength);
        await new Promise((r) => setTimeout(r, 10));
        chunks.push(Buffer.from(lines));
      });
      for (const p of input) await pool.push(p);
      await pool.close();
      return pool.unwritten();
    };
    const limit = 50_000;
    const bounded = await run(limit);
    expect(bounded.bytes).toBe(0);
    // At most the bound, then what the two workers hold when dispatching stops: two chunks each.
    expect(bounded.peak).toBeLessThanOrEqual(limit + 4 * Math.max(...sizes));
    expect(Buffer.concat(chunks).toString('utf8')).toBe(input.map((p) => `${rankResultJson(engine.rank(p))}\n`).join(''));
    // Without it (the default is 512 MB), the results of all 40 chunks wait for the writer at once.
    const unbounded = await run();
    expect(unbounded.peak).toBeGreaterThan(limit + 4 * Math.max(...sizes));
  });

  /** Resolves once `done` holds (polled), or fails after 20 s. */
  const until = async (done: () => boolean) => {
    for (const end = Date.now() + 20_000; !done(); await new Promise((r) => setTimeout(r, 5))) {
      if (Date.now() > end) throw new Error('timed out');
    }
  };

  it.each([
    { workers: 2, active: 1 },
    { workers: 3, active: 2 },
  ])('ranks on the workers that leave the reader a core until close(), then on all of them ($active of $workers)', async ({ workers, active }) => {
    const input = profiles(4000);
    const by: number[] = [];
    const pool = await createRankPool({ workers, activeWhileReading: active, graph: engine.kb.graph, chunkSize: 10 }, (_lines, _count, worker) => {
      by.push(worker);
    });
    for (const p of input) await pool.push(p);
    // The caller has not closed: only the active workers rank, for as long as it takes.
    await until(() => by.length >= 100);
    const beforeClose = by.length;
    expect(new Set(by.slice(0, beforeClose))).toEqual(new Set(Array.from({ length: active }, (_, i) => i)));
    await pool.close();
    expect(by).toHaveLength(400);
    // Released at close(), the held workers took their share of what was queued.
    for (let w = active; w < workers; w++) expect(by.slice(beforeClose)).toContain(w);
  });

  it('lets every worker rank once the queue is full, so that the reader does not wait on one', async () => {
    const input = profiles(QUEUE_LIMIT + 1500);
    const by: number[] = [];
    const pool = await createRankPool({ workers: 2, activeWhileReading: 1, graph: engine.kb.graph, chunkSize: 1 }, (_lines, _count, worker) => {
      by.push(worker);
    });
    for (const p of input) await pool.push(p);
    // Not closed yet: the queue filled up while the first worker ranked alone, and the second joined it.
    await until(() => by.includes(1));
    await pool.close();
    expect(by).toHaveLength(input.length);
  });

  it('keeps each chunk within the text limit, and sends a profile larger than the limit on its own', async () => {
    // Small profiles and, here and there, one of 1,200 alterations (its line alone is over the limit).
    const large = engine.normalise({
      id: 'large',
      tumourType: 'LUAD',
      alterations: Array.from({ length: 1200 }, (_, i) => ({ gene: 'TP53', kind: 'mutation', change: `p.R${i + 1}H` })),
    });
    const input = profiles(300).flatMap((p, i) => (i % 97 === 5 ? [p, { ...large, id: `large${i}` }] : [p]));
    // The text of each profile's line in a chunk (packed: profile-lines.ts).
    const sizes = input.map((p) => profileLine(p).length + 1);
    expect(Math.max(...sizes)).toBeGreaterThan(CHUNK_TEXT_LIMIT);
    const counts: number[] = [];
    const chunks: Buffer[] = [];
    const pool = await createRankPool({ workers: 2, graph: engine.kb.graph }, (lines, count) => {
      counts.push(count);
      chunks.push(Buffer.from(lines));
    });
    for (const p of input) await pool.push(p);
    await pool.close();
    expect(Buffer.concat(chunks).toString('utf8')).toBe(input.map((p) => `${rankResultJson(engine.rank(p))}\n`).join(''));
    // Each chunk is within the limit (or one profile alone) and full: its next profile would not have fitted.
    let at = 0;
    for (const count of counts) {
      const text = sizes.slice(at, at + count).reduce((a, b) => a + b, 0);
      if (count > 1) expect(text).toBeLessThanOrEqual(CHUNK_TEXT_LIMIT);
      at += count;
      if (at < input.length && count < 100) expect(text + sizes[at]!).toBeGreaterThan(CHUNK_TEXT_LIMIT);
    }
    expect(at).toBe(input.length);
    expect(counts.filter((c) => c === 1).length).toBeGreaterThanOrEqual(3); // the large profiles, each alone
  });

  it('carries profiles whose text holds line breaks and line separators (profiles cross as JSON lines)', async () => {
    // JSON escapes a line break inside a string, so a profile stays one line; U+2028 and U+2029 are not escaped.
    const odd = profiles(6).map((p, i) => ({
      ...p,
      alterations: p.alterations.map((a) => ({ ...a, label: `${a.label}${['\n', '\r\n', '\u2028', '\u2029', '\\n', '"\n"'][i]}` })),
    }));
    const chunks: Buffer[] = [];
    const pool = await createRankPool({ workers: 1, graph: engine.kb.graph, chunkSize: 4 }, (lines) => {
      chunks.push(Buffer.from(lines));
    });
    for (const p of odd) await pool.push(p);
    await pool.close();
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text).toBe(odd.map((p) => `${rankResultJson(engine.rank(p))}\n`).join(''));
    // Each result names its own alterations' labels, break and all.
    expect(text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { alterations: Array<{ label: string }> }).alterations[0]!.label)).toEqual(
      odd.map((p) => p.alterations[0]!.label),
    );
  });

  it.runIf(process.platform === 'linux' && existsSync('/proc/self/task') && getPriority() < 19)('ranks at a lower scheduling priority than the thread that reads (Linux)', async () => {
    /** The nice values of this process's threads (field 19 of /proc/self/task/TID/stat, after the command's name). */
    const niceValues = () =>
      readdirSync('/proc/self/task').map((tid) => {
        try {
          const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
        } catch {
          return NaN; // a thread that ended meanwhile
        }
      });
    const reader = getPriority();
    let seen: number[] = [];
    const pool = await createRankPool({ workers: 2, graph: engine.kb.graph, chunkSize: 10 }, () => {
      if (seen.length === 0) seen = niceValues(); // both workers are running: one has just written this chunk
    });
    for (const p of profiles(40)) await pool.push(p);
    await pool.close();
    expect(getPriority()).toBe(reader); // the reading thread keeps its own
    expect(seen.filter((n) => n > reader && n === Math.min(19, reader + RANKING_NICENESS)).length).toBeGreaterThanOrEqual(2);
  });

  it('leaves each chunk\'s bytes to the caller until what it returned settles, then hands them back', async () => {
    // Small chunks, so that each worker gets its buffers back and writes into them again within the run.
    const input = profiles(400);
    const chunks: Buffer[] = [];
    const held: Array<{ lines: Buffer; copy: Buffer }> = [];
    const pool = await createRankPool({ workers: 2, graph: engine.kb.graph, chunkSize: 10 }, async (lines) => {
      const copy = Buffer.from(lines);
      held.push({ lines, copy });
      // The caller is still writing: the bytes must not change meanwhile.
      await new Promise((r) => setTimeout(r, 2));
      expect(lines.equals(copy)).toBe(true);
      chunks.push(Buffer.from(lines));
    });
    for (const p of input) await pool.push(p);
    await pool.close();
    expect(Buffer.concat(chunks).toString('utf8')).toBe(input.map((p) => `${rankResultJson(engine.rank(p))}\n`).join(''));
    // The buffers were handed back (moved away, so empty here) once the caller had settled.
    expect(held.filter(({ lines }) => lines.byteLength === 0).length).toBeGreaterThan(0);
  });

  it('a worker writes a later chunk into a buffer handed back to it', async () => {
    const worker = new Worker(new URL('../../server/batch/worker-entry.mjs', import.meta.url), { workerData: { graph: engine.kb.graph.export() } satisfies WorkerInit });
    try {
      const next = () => new Promise<ChunkResult>((resolve, reject) => (worker.once('message', resolve), worker.once('error', reject)));
      await next(); // ready
      // JSON lines as UTF-8, as the pool sends them; the last one without its line break (the worker reads it all the same).
      const chunk = (seq: number) => ({ seq, profiles: new TextEncoder().encode(profiles(3).map((p) => JSON.stringify(p)).join('\n')) }) satisfies ChunkRequest;
      worker.postMessage(chunk(0));
      const first = await next();
      const size = first.lines.buffer.byteLength;
      // The second chunk is written into the buffer made after the first; the one handed back serves the third.
      worker.postMessage({ recycle: first.lines.buffer as ArrayBuffer } satisfies Recycle, [first.lines.buffer as ArrayBuffer]);
      worker.postMessage(chunk(1));
      const second = await next();
      worker.postMessage(chunk(2));
      const third = await next();
      expect([first.count, second.count, third.count]).toEqual([3, 3, 3]);
      // A fresh buffer for a chunk this small is smaller than the first one (1 MB against 4 MB).
      expect(second.lines.buffer.byteLength).toBeLessThan(size);
      expect(third.lines.buffer.byteLength).toBe(size);
      expect(Buffer.from(third.lines).toString('utf8')).toBe(Buffer.from(second.lines).toString('utf8'));
    } finally {
      await worker.terminate();
    }
  });

  it('ranks against the caller\'s knowledge base, whatever the evidence files say meanwhile', async () => {
    // A copy of the shipped evidence without its BRAF file, loaded, then deleted before the pool starts: workers that
    // read the files again would find no knowledge base, and the shipped one ranks these profiles otherwise.
    const dir = mkdtempSync(join(tmpdir(), 'mtbnet-pool-kb-'));
    try {
      cpSync(DEFAULT_EVIDENCE_DIR, dir, { recursive: true });
      rmSync(join(dir, 'genes', 'BRAF.yaml'));
      const own = createEngine({ evidenceDir: dir });
      rmSync(dir, { recursive: true, force: true });
      const input = profiles(60);
      const chunks: Buffer[] = [];
      const pool = await createRankPool({ workers: 2, graph: own.kb.graph, scoring: own.scoring, chunkSize: 10 }, (lines) => {
        chunks.push(Buffer.from(lines));
      });
      for (const p of input) await pool.push(p);
      await pool.close();
      const expected = input.map((p) => `${rankResultJson(own.rank(p))}\n`).join('');
      expect(expected).toContain('"evidence":[{'); // the loaded base ranks these profiles' therapies
      expect(expected).not.toBe(input.map((p) => `${rankResultJson(engine.rank(p))}\n`).join(''));
      expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** A graph whose export no worker can import: an edge between nodes it does not hold. */
  const broken = { export: () => ({ options: { type: 'directed' }, attributes: {}, nodes: [], edges: [{ source: 'a', target: 'b' }] }) } as unknown as EvidenceGraphLike;

  it('fails with the worker\'s error when a worker cannot take the knowledge base', async () => {
    const pool = await createRankPool({ workers: 1, graph: broken }, () => {});
    const run = async () => {
      for (const p of profiles(300)) await pool.push(p);
      await pool.close();
    };
    await expect(run()).rejects.toThrow(/source node "a"|not found/);
  });

  it('fails on close, with nothing pushed, when the workers cannot start', async () => {
    const pool = await createRankPool({ workers: 2, graph: broken }, () => {});
    await expect(pool.close()).rejects.toThrow(/not found/);
  });
});

/**
 * A batch ranking worker: takes the main thread's knowledge base (its graph, exported and cloned, not read again
 * from the evidence files), then ranks chunks of profiles and returns them as UTF-8 JSON lines, moved (not copied)
 * to the main thread, so the main thread only reads profiles and writes bytes.
 */
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { SerializedGraph } from 'graphology-types';
import type { Agency, EdgeAttrs, KnowledgeBaseInfo, NodeAttrs } from '../domain/knowledge.ts';
import type { ScoringOptionsInput } from '../scoring/defaults.ts';

export interface WorkerInit {
  /**
   * The knowledge base's graph as `graph.export()` gives it: the structured clone that carries it here keeps its
   * order and shared values, so ranking against it gives the main thread's answers without reading a YAML file.
   */
  graph: SerializedGraph<NodeAttrs, EdgeAttrs, KnowledgeBaseInfo>;
  /** The engine's scoring options (engine.scoring). */
  scoring?: ScoringOptionsInput;
  agency?: Agency;
  /** How much lower the thread's scheduling priority is than the reader's, in nice steps (pool.ts: RANKING_NICENESS). */
  nicer?: number;
}
export interface ChunkRequest {
  seq: number;
  /**
   * The chunk's profiles as JSON lines (profile-lines.ts: most alterations written by position), each followed by a
   * line break (JSON text holds none of its own). JSON.parse builds the objects in about two thirds of the time
   * the structured clone's deserializer takes (0.6 against 0.9 s of a 20,000-sample cohort's CPU, with each
   * profile's own JSON), and the packed lines take half that again. The round trip loses only keys whose value is
   * undefined and the sign of a -0 (a TMB of "-0"), neither of which ranking reads.
   * The text travels as UTF-8 bytes, moved (not copied) to the worker: a chunk queued for a worker then lies outside
   * the reading thread's heap, where each young-generation collection used to copy it (the queue holds thousands of
   * a cohort's profiles while the reader runs ahead) and then the old generation kept it until a full collection.
   * Encoding and decoding cost about what copying the string into and out of a message did.
   */
  profiles: Uint8Array;
}
/** A result's buffer handed back once its bytes are written, for the worker to write a later chunk into. */
export interface Recycle {
  recycle: ArrayBuffer;
}
export interface ChunkResult {
  seq: number;
  /** One JSON rank result per line, UTF-8. */
  lines: Uint8Array;
  count: number;
}

const init = workerData as WorkerInit;

/**
 * A ranking thread runs at a lower scheduling priority (pool.ts: nice +10) than the thread that reads the input. The
 * reader is the batch's one serial stage, and on a machine with as many cores as threads it lost a core's worth of
 * time waiting for the CPU behind the ranking threads; it now reads ahead while they catch up (a 20,000-sample
 * cohort: about 0.6 s sooner on 2 cores). It also leaves other work on the machine (a board's server, say) ahead of a
 * batch. On Linux a nice value belongs to a thread, and `setpriority` of "this process" (0) sets the calling
 * thread's; elsewhere it would set the whole process's, so nothing is changed there.
 */
function yieldToReader(nicer: number): void {
  if (nicer <= 0 || process.platform !== 'linux') return;
  try {
    setPriority(0, Math.min(19, getPriority(0) + nicer));
  } catch {
    // Not allowed here (a container's policy, say): the thread keeps its priority.
  }
}
// Lowered before the ranking code is loaded and compiled: that too runs while the main thread reads its first pass.
yieldToReader(init.nicer ?? 0);
const [{ DirectedGraph }, { rankTherapies, prepareGraph, withAgency }, { rankResultJson }, { parseProfileLine }] = await Promise.all([
  import('graphology'),
  import('../scoring/index.ts'),
  import('../domain/result-json.ts'),
  import('./profile-lines.ts'),
]);
/** The main thread's graph, in its order (import adds nodes and edges as export listed them). */
const graph = DirectedGraph.from<NodeAttrs, EdgeAttrs, KnowledgeBaseInfo>(init.graph);
// The export is not needed once imported (workerData would otherwise keep it for the thread's life).
(init as Partial<WorkerInit>).graph = undefined;
/** As engine.rank builds them: the engine's scoring options, the agency when one is asked for. */
const options: ScoringOptionsInput = withAgency(init.scoring ?? {}, init.agency);
// The graph's indexes are built now, before the first chunk (as createEngine builds them before the first request).
prepareGraph(graph);
const utf8 = new TextEncoder();
/** Profiles arrive as UTF-8 bytes (ChunkRequest). */
const utf8in = new TextDecoder();
/**
 * The chunk's lines, encoded as each result is written (no chunk-long string to build and copy); grows as needed.
 * Buffers come back from the main thread once written (Recycle) and are written again: a fresh buffer per chunk
 * has the kernel map and zero new pages for every chunk (a 20,000-sample cohort's 770 MB of output took 228,000
 * page faults that way, 158,000 with buffers reused).
 */
const spare: ArrayBuffer[] = [];
const SPARE_LIMIT = 8;
let buf = new Uint8Array(4 << 20);
let len = 0;
function append(text: string): void {
  for (;;) {
    const { read, written } = utf8.encodeInto(text, buf.subarray(len));
    len += written;
    if (read === text.length) return;
    text = text.slice(read);
    const bigger = new Uint8Array(Math.max(buf.length * 2, len + text.length * 3));
    bigger.set(buf.subarray(0, len));
    buf = bigger;
  }
}
parentPort!.on('message', (msg: ChunkRequest | Recycle) => {
  if ('recycle' in msg) {
    if (spare.length < SPARE_LIMIT) spare.push(msg.recycle);
    return;
  }
  // Each profile is read just before it is ranked, and is garbage once ranked (parsing the chunk at once kept a
  // hundred profiles alive across the young-generation collections of their chunk).
  const text = utf8in.decode(msg.profiles);
  let count = 0;
  for (let at = 0; at < text.length; count++) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length; // a last line without its break
    const p = parseProfileLine(text.slice(at, end));
    at = end + 1;
    // Two appends, not one joined string: joining would copy the result's text once more before encoding it.
    append(rankResultJson(rankTherapies(graph, p, options)));
    append('\n');
  }
  // The bytes written move to the main thread.
  const lines = buf.subarray(0, len);
  parentPort!.postMessage({ seq: msg.seq, lines, count } satisfies ChunkResult, [lines.buffer]);
  // The next chunk starts on a returned buffer if one is large enough for a chunk like this one, else on a new one.
  const reuse = spare.findIndex((b) => b.byteLength >= len);
  buf = reuse >= 0 ? new Uint8Array(spare.splice(reuse, 1)[0]!) : new Uint8Array(Math.max(1 << 20, Math.ceil(len * 1.25)));
  len = 0;
});
parentPort!.postMessage({ ready: true });

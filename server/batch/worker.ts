/**
 * A batch ranking worker: loads the knowledge base once, then ranks chunks of
 * profiles and returns them as UTF-8 JSON lines, moved (not copied) to the main
 * thread, so the main thread only reads profiles and writes bytes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Profile } from '../domain/profile.ts';
import { createEngine, type EngineOptions } from '../engine.ts';
import type { Agency } from '../domain/knowledge.ts';
import { rankResultJson } from '../domain/result-json.ts';

export interface WorkerInit {
  engine: EngineOptions;
  agency?: Agency;
}
export interface ChunkRequest {
  seq: number;
  profiles: Profile[];
}
export interface ChunkResult {
  seq: number;
  /** One JSON rank result per line, UTF-8. */
  lines: Uint8Array;
  count: number;
}

const init = workerData as WorkerInit;
const engine = createEngine(init.engine);
const utf8 = new TextEncoder();
/** The chunk's lines, encoded as each result is written (no chunk-long string to build and copy); grows as needed. */
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
parentPort!.on('message', (msg: ChunkRequest) => {
  for (const p of msg.profiles) {
    // Two appends, not one joined string: joining would copy the result's text once more before encoding it.
    append(rankResultJson(engine.rank(p, { agency: init.agency })));
    append('\n');
  }
  // The bytes written move to the main thread; the next chunk starts on a buffer of the size this one needed.
  const lines = buf.subarray(0, len);
  parentPort!.postMessage({ seq: msg.seq, lines, count: msg.profiles.length } satisfies ChunkResult, [lines.buffer]);
  buf = new Uint8Array(Math.max(1 << 20, Math.ceil(len * 1.25)));
  len = 0;
});
parentPort!.postMessage({ ready: true });

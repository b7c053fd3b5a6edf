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
parentPort!.on('message', (msg: ChunkRequest) => {
  let text = '';
  for (const p of msg.profiles) text += `${rankResultJson(engine.rank(p, { agency: init.agency }))}\n`;
  const lines = utf8.encode(text);
  parentPort!.postMessage({ seq: msg.seq, lines, count: msg.profiles.length } satisfies ChunkResult, [lines.buffer]);
});
parentPort!.postMessage({ ready: true });

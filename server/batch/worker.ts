/**
 * A batch ranking worker: loads the knowledge base once, then ranks chunks of
 * profiles and returns them as JSON lines, so the main thread only reads and writes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Profile } from '../domain/profile.ts';
import { createEngine, type EngineOptions } from '../engine.ts';
import type { Agency } from '../domain/knowledge.ts';

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
  text: string;
  count: number;
}

const init = workerData as WorkerInit;
const engine = createEngine(init.engine);
parentPort!.on('message', (msg: ChunkRequest) => {
  let text = '';
  for (const p of msg.profiles) text += `${JSON.stringify(engine.rank(p, { agency: init.agency }))}\n`;
  parentPort!.postMessage({ seq: msg.seq, text, count: msg.profiles.length } satisfies ChunkResult);
});
parentPort!.postMessage({ ready: true });

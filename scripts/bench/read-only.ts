/** The floor of a cohort batch: start up, load the knowledge base and read every profile, without ranking. */
import { createEngine } from '../../server/engine.ts';

const engine = createEngine();
let n = 0;
for await (const r of engine.readAll({ path: process.argv[2]! }, { continueOnError: true })) if (!r.error) n++;
console.error(`read-only: ${n} profiles`);

/**
 * `npm run bench [-- --quick] [-- --out FILE]`: the benchmark suite. Prints one
 * table; with --out writes every figure as JSON (one key per figure).
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchRank } from './rank.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIdx = args.indexOf('--out');
const out = outIdx >= 0 ? args[outIdx + 1] : undefined;

const figures: Record<string, number | string> = {
  machine: `${cpus().length} cores ${cpus()[0]?.model ?? ''}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  quick: quick ? 1 : 0,
};

console.error(`bench: in-process ranking${quick ? ' (quick)' : ''}...`);
const rank = benchRank({ quick });
Object.assign(figures, rank.figures);
console.log('\nIn-process ranking (ms per profile)');
console.log('knowledge base  evidence  alterations  p50      p99      therapies');
for (const r of rank.rows) {
  console.log(
    `${r.kb.padEnd(15)} ${String(r.evidence).padStart(8)}  ${String(r.size).padStart(11)}  ${r.p50.toFixed(4).padStart(7)}  ${r.p99.toFixed(4).padStart(7)}  ${String(r.therapies).padStart(9)}`,
  );
}

if (out) {
  writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
  console.error(`bench: figures written to ${out}`);
}

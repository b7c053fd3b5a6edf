/**
 * The compiled server (scripts/build-server.mjs, what `npm start` runs) gives
 * the same answers as the TypeScript sources: one ranking and a batch ranked on
 * a worker thread (the worker has its own entry in the build), compared byte
 * for byte. The build goes to a temporary folder laid out like the repository
 * (evidence/, package.json and node_modules/ linked), so this test never
 * changes what the other tests run.
 */
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { buildServer } from '../../scripts/build-server.mjs';
import { ROOT, runCli } from '../helpers/cli.ts';

const PROFILE = JSON.stringify({
  id: 'compiled-1',
  tumourType: 'LUAD',
  alterations: [
    { gene: 'EGFR', kind: 'mutation', change: 'L858R' },
    { gene: 'EGFR', kind: 'mutation', change: 'T790M' },
    { gene: 'CDKN2A', kind: 'deletion' },
    { kind: 'signature', name: 'TMB', value: 12 },
  ],
});
const COHORT = [
  PROFILE,
  '{"id":"compiled-2","tumourType":"COADREAD","alterations":[{"gene":"BRAF","kind":"mutation","change":"V600E"}]}',
  '{"id":"compiled-3","tumourType":"MEL","alterations":[{"gene":"NRAS","kind":"mutation","change":"Q61R"}]}',
].join('\n');

let root: string;
let data: string;

const runCompiled = (args: string[], stdin?: string) => runCli(args, stdin, { MTBNET_DATA_DIR: data }, join(root, 'run.mjs'));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mtbnet-compiled-'));
  data = mkdtempSync(join(tmpdir(), 'mtbnet-compiled-data-'));
  for (const name of ['evidence', 'package.json', 'node_modules']) symlinkSync(join(ROOT, name), join(root, name));
  await buildServer({ quiet: true, outDir: join(root, 'dist/server') });
  // What bin/mtbnet.mjs does with a fresh build, without its freshness test (an edited checkout would fall back to the sources).
  writeFileSync(join(root, 'run.mjs'), "const { main } = await import('./dist/server/cli.mjs');\nprocess.exitCode = await main(process.argv.slice(2));\n");
}, 60_000);

describe('the compiled server', () => {
  it('ranks a profile exactly as the TypeScript sources do', async () => {
    const compiled = await runCompiled(['rank', '-', '--json'], PROFILE);
    const source = await runCli(['rank', '-', '--json'], PROFILE, { MTBNET_FROM_SOURCE: '1', MTBNET_DATA_DIR: data });
    expect(compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
    expect(source.code).toBe(0);
    expect(JSON.parse(compiled.stdout).therapies.length).toBeGreaterThan(3);
    expect(compiled.stdout).toBe(source.stdout);
  });

  it('ranks a batch on a worker thread exactly as the sources do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtbnet-compiled-batch-'));
    writeFileSync(join(dir, 'in.jsonl'), COHORT);
    const compiled = await runCompiled(['batch', '--in', join(dir, 'in.jsonl'), '--out', join(dir, 'compiled.jsonl'), '--workers', '1']);
    const source = await runCli(['batch', '--in', join(dir, 'in.jsonl'), '--out', join(dir, 'source.jsonl'), '--workers', '1'], undefined, {
      MTBNET_FROM_SOURCE: '1',
      MTBNET_DATA_DIR: data,
    });
    expect(compiled.code, compiled.stderr).toBe(0);
    expect(source.code, source.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'compiled.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).id)).toEqual(['compiled-1', 'compiled-2', 'compiled-3']);
    expect(readFileSync(join(dir, 'compiled.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'source.jsonl'), 'utf8'));
  });
});

// Compile the server to plain JavaScript (dist/server/) with esbuild, so production runs
// (`npm start`, `mtbnet serve`, `mtbnet batch`) skip the on-the-fly TypeScript loader.
// bin/mtbnet.mjs uses the build when it is newer than every file under server/, and the
// TypeScript sources through tsx otherwise, so an edited checkout never runs stale code.
//
// Why it pays (docs/performance.md): tsx compiles with esbuild's keepNames, which wraps
// every named inner function in a call that redefines its `name` each time the enclosing
// function runs; ranking ran about a third slower that way.
//
//   node scripts/build-server.mjs [--if-stale] [--quiet] [--outdir DIR]
import { build } from 'esbuild';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT as root, serverBuildIsFresh } from './freshness.mjs';

export { serverBuildIsFresh };

const DEFAULT_OUT = join(root, 'dist/server');

/**
 * Compile into `outDir` (default dist/server). Another folder must also sit two levels below a
 * folder holding (or linking) evidence/, package.json and node_modules/, as the tests arrange.
 */
export async function buildServer({ quiet = false, outDir = DEFAULT_OUT } = {}) {
  const t0 = performance.now();
  // Built beside the final folder and swapped in whole, so a process starting meanwhile
  // sees either the old build or the new one, never half of one.
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  await build({
    // Every file lands in dist/server/, two levels below the repository like server/<dir>/*.ts,
    // so paths made from import.meta.url (evidence/, dist/client/, package.json) stay right.
    // The worker-thread entry keeps its name: server/batch/pool.ts starts `./worker-entry.mjs`
    // next to itself, which is server/batch/ from the sources and dist/server/ here.
    entryPoints: { cli: join(root, 'server/cli/main.ts'), 'worker-entry': join(root, 'server/batch/worker.ts') },
    outdir: tmp,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    chunkNames: '[name]-[hash]',
    logLevel: 'warning',
  });
  writeFileSync(join(tmp, 'BUILT'), `${new Date().toISOString()}\n`);
  mkdirSync(dirname(outDir), { recursive: true });
  const old = `${outDir}.old-${process.pid}`;
  if (existsSync(outDir)) renameSync(outDir, old);
  renameSync(tmp, outDir);
  rmSync(old, { recursive: true, force: true });
  if (!quiet) console.error(`mtbnet: server compiled to ${relative(root, outDir) || outDir} in ${Math.round(performance.now() - t0)} ms`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--outdir');
  const outDir = at >= 0 && args[at + 1] ? resolve(args[at + 1]) : DEFAULT_OUT;
  if (!(args.includes('--if-stale') && serverBuildIsFresh(outDir))) await buildServer({ quiet: args.includes('--quiet'), outDir });
}

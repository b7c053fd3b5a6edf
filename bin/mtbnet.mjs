#!/usr/bin/env node
// The `mtbnet` command. It runs the compiled server (dist/server/, made by
// scripts/build-server.mjs; `npm start` and `npm run build` make it) when that
// build is newer than every file under server/ and package.json, and the
// TypeScript sources through tsx's loader otherwise, so an edited checkout
// never runs stale code. MTBNET_FROM_SOURCE=1 always runs the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist/server/BUILT');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function compiledIsFresh() {
  if (process.env.MTBNET_FROM_SOURCE === '1' || !existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return built >= statSync(join(root, 'package.json')).mtimeMs && built >= newest(join(root, 'server'));
}

let main;
if (compiledIsFresh()) {
  process.setSourceMapsEnabled(true); // stack traces in logs name the TypeScript lines
  ({ main } = await import('../dist/server/cli.mjs'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../server/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));

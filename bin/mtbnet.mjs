#!/usr/bin/env node
// The `mtbnet` command. It runs the compiled server (dist/server/, made by
// scripts/build-server.mjs; `npm start` and `npm run build` make it) when that
// build is newer than every file under server/ and package.json, and the
// TypeScript sources through tsx's loader otherwise, so an edited checkout
// never runs stale code. MTBNET_FROM_SOURCE=1 always runs the sources.
import { serverBuildIsFresh } from '../scripts/freshness.mjs';

// Output piped into a reader that stops early (`mtbnet evidence check | head`): end quietly, as other tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

let main;
if (process.env.MTBNET_FROM_SOURCE !== '1' && serverBuildIsFresh()) {
  process.setSourceMapsEnabled(true); // stack traces in logs name the TypeScript lines
  ({ main } = await import('../dist/server/cli.mjs'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../server/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));

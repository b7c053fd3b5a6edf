// Is a build newer than its sources? Shared by bin/mtbnet.mjs (which build to run),
// scripts/build-server.mjs (--if-stale) and scripts/ensure-client.mjs. No dependencies,
// so the command starts without loading a bundler.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Newest modification time of any file under a folder. */
export function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The compiled server in `outDir` (its BUILT stamp) is at least as new as server/ and package.json. */
export function serverBuildIsFresh(outDir = join(ROOT, 'dist/server')) {
  const stamp = join(outDir, 'BUILT');
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return built >= statSync(join(ROOT, 'package.json')).mtimeMs && built >= newest(join(ROOT, 'server'));
}

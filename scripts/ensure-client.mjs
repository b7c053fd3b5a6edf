// Build the board client (vite build) when dist/client is missing or older than client/ sources,
// so `npm start` serves it on a fresh clone with no separate build step.
import { existsSync, statSync } from 'node:fs';
import { newest } from './freshness.mjs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist/client/index.html');
// The client bundles server/domain types and the pure explanation builder from server/scoring.
const sources = Math.max(newest(join(root, 'client')), newest(join(root, 'server/domain')), newest(join(root, 'server/scoring')), statSync(join(root, 'vite.config.ts')).mtimeMs);
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  console.error('mtbnet: building the board client (vite build)...');
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

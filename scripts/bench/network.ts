/**
 * `npx tsx scripts/bench/network.ts [--nodes 1000] [--runs 5] [--out FILE]`:
 * the evidence network in headless Chromium. Builds the client, serves it,
 * opens #/bench?n=1000 (a synthetic whole-profile explanation of about 1,000
 * nodes drawn by the real EvidenceNetwork component) in Debian's chromium, and
 * reports the d3-force layout time and the time until the settled network is
 * painted (target: under 1 s). Each run is a fresh page load.
 */
import { CHROMIUM_ARGS } from '../../server/report/pdf.ts';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { median } from './stats.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const nodes = Number(opt('nodes', '1000'));
const runs = Number(opt('runs', '5'));
const out = args.includes('--out') ? opt('out', '') : undefined;
const chromiumPath = process.env.MTBNET_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  console.error(`bench/network: no Chromium at ${chromiumPath} (apt-get install chromium, or set MTBNET_CHROMIUM)`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'mtbnet-bench-network-'));
const clientDir = join(dir, 'client');
const { build } = await import('vite');
await build({ configFile: resolve('vite.config.ts'), logLevel: 'error', build: { outDir: clientDir, emptyOutDir: true, sourcemap: false } });

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^(\.\.[/\\])+/, '');
  let file = join(clientDir, path);
  if (!file.startsWith(clientDir) || !existsSync(file) || statSync(file).isDirectory()) file = join(clientDir, 'index.html');
  if (path.startsWith('/api/')) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found","message":"bench: no API","details":[]}}');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/#/bench?n=${nodes}`;

const { chromium } = await import('playwright-core');
const browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
  executablePath: chromiumPath,
  headless: true,
  args: CHROMIUM_ARGS,
  viewport: { width: 1440, height: 1000 },
});
interface Run {
  nodes: number;
  links: number;
  layoutMs: number;
  totalMs: number;
}
const results: Run[] = [];
try {
  for (let i = 0; i < runs + 1; i++) {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __networkBench?: unknown }).__networkBench !== undefined, undefined, { timeout: 60_000 });
    const r = (await page.evaluate(() => (window as unknown as { __networkBench: Run }).__networkBench)) as Run;
    await page.close();
    if (i > 0) results.push(r); // the first load warms the browser's caches and is not counted
    console.error(`bench/network: run ${i}${i === 0 ? ' (warm-up)' : ''}: layout ${r.layoutMs.toFixed(0)} ms, settled and painted ${r.totalMs.toFixed(0)} ms`);
  }
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}

const figures = {
  machine: `${cpus().length} cores ${cpus()[0]?.model ?? ''}, node ${process.version}, ${chromiumPath}`,
  nodes: results[0]!.nodes,
  links: results[0]!.links,
  runs,
  layoutMsMedian: Math.round(median(results.map((r) => r.layoutMs))),
  settledMsMedian: Math.round(median(results.map((r) => r.totalMs))),
  settledMsMax: Math.round(Math.max(...results.map((r) => r.totalMs))),
};
console.log(`\nEvidence network in headless Chromium: ${figures.nodes} nodes, ${figures.links} links, ${runs} runs`);
console.log(`  d3-force layout (median)         ${figures.layoutMsMedian} ms`);
console.log(`  settled and painted (median/max) ${figures.settledMsMedian} / ${figures.settledMsMax} ms   (target < 1000 ms)`);
if (out) writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
process.exitCode = figures.settledMsMedian < 1000 ? 0 : 1;

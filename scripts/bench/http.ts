/**
 * HTTP benchmark: `POST /api/rank` under load from autocannon running in a
 * separate process on loopback, against `mtbnet serve` in its own process.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, startServerProcess } from './server-process.ts';

export interface HttpBench {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
  startup: number;
}

/** A typical board profile: two drivers, a VUS, a signature. */
export const HTTP_PROFILE = {
  id: 'bench',
  tumourType: 'LUAD',
  alterations: [
    { gene: 'EGFR', kind: 'mutation', change: 'L858R' },
    { gene: 'TP53', kind: 'mutation', change: 'R273H' },
    { gene: 'CDKN2A', kind: 'deletion' },
    { gene: 'STK11', kind: 'mutation', change: 'A205T' },
    { kind: 'signature', name: 'TMB', value: 6.1 },
  ],
};

export async function benchHttp(
  options: { seconds?: number; warmup?: number; connections?: number; workers?: number; headers?: Record<string, string> } = {},
): Promise<HttpBench> {
  const { seconds = 30, warmup = 5, connections = 50, workers = 1 } = options;
  const server = await startServerProcess({ MTBNET_AUTH: 'local', MTBNET_RANK_LIMIT: '0', MTBNET_WORKERS: String(workers) });
  try {
    const headers = { 'content-type': 'application/json', ...options.headers };
    const load = (duration: number) => {
      const args = [
        join(ROOT, 'node_modules/autocannon/autocannon.js'),
        '--json', '-c', String(connections), '-d', String(duration), '-m', 'POST',
        '-b', JSON.stringify(HTTP_PROFILE),
        ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]),
        `${server.url}/api/rank`,
      ];
      return new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`autocannon exited ${code}`))));
      });
    };
    // Warm up under the measured load (every server process's JIT, heap and caches), then measure the steady state.
    if (warmup > 0) await load(warmup);
    const out = await load(seconds);
    const r = JSON.parse(out) as {
      requests: { average: number; total: number };
      latency: { p50: number; p99: number };
      errors: number;
      timeouts: number;
      non2xx: number;
    };
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, requests: r.requests.total, startup: server.startup };
  } finally {
    await server.stop();
  }
}

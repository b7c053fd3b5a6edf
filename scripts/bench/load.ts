/**
 * The load test of issue 10, run by hand (not in npm test):
 *
 *   npx tsx scripts/bench/load.ts [--duration 60] [--connections 100] [--warmup 60]
 *
 * Starts the real `mtbnet serve` (local accounts, a fresh temp data folder) in
 * its own process, creates the admin through first-run setup, seeds a few
 * cases, then drives it with autocannon on loopback, signed in (session cookie
 * and CSRF token), with a mix of reads and writes: list and read cases, read
 * a meeting, rank a profile, create a case (a write, audited), put a case on
 * a meeting's agenda (a write, audited). The ranking rate limit is switched off for the
 * run (MTBNET_RANK_LIMIT=0): the test measures the server, not the limiter.
 *
 * Passes when autocannon saw no errors, no timeouts and no non-2xx answer,
 * and the server's resident memory level at the end (median of the last 5 s)
 * is within 10% of its level after the warm-up (median of the first 5 s of
 * the measured run). Prints one JSON line with the figures; exit 1 on a fail.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './stats.ts';

interface Histogram { average: number; mean: number; p50: number; p90: number; p99: number; max: number }
interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  throughput: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  statusCodeStats?: Record<string, { count: number }>;
}
interface AutocannonRequest {
  method: string;
  path: string;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: { duration: { type: 'string' }, connections: { type: 'string' }, warmup: { type: 'string' } },
});
const DURATION = Number(values.duration ?? 60);
const CONNECTIONS = Number(values.connections ?? 100);
const WARMUP = Number(values.warmup ?? 60);
const WRITES = process.env.LOAD_WRITES !== '0';
const PASSWORD = 'load test passphrase 1';

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}
const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;

async function main(): Promise<number> {
  const data = mkdtempSync(join(tmpdir(), 'mtbnet-load-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin/mtbnet.mjs'), 'serve', '--port', '0', '--data', data], {
    cwd: ROOT,
    env: { ...process.env, NEO4J_URI: '', MTBNET_AUTH: '', MTBNET_WORKERS: '1', MTBNET_RANK_LIMIT: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let log = '';
      child.stderr!.on('data', (d) => {
        log += d;
        const m = /serving (http:\/\/[^\s]+)/.exec(log);
        if (m) resolve(m[1]!);
        else if (/^(?!mtbnet: )/m.test(String(d))) process.stderr.write(`server: ${d}`);
      });
      child.once('exit', (code) => reject(new Error(`load: the server exited with ${code}:\n${log}`)));
    });

    // Sign in the way the board does: first-run setup creates the admin and a session.
    const setup = await fetch(`${url}/api/auth/setup`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'loadtest', password: PASSWORD }),
    });
    if (setup.status !== 201) throw new Error(`load: setup answered ${setup.status}`);
    const cookie = /mtbnet_session=[^;]+/.exec(setup.headers.get('set-cookie') ?? '')![0];
    const { csrfToken } = (await setup.json()) as { csrfToken: string };
    const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${url}/api/cases`, { method: 'POST', headers, body: JSON.stringify({ id: `SEED-${i}`, tumourType: 'LUAD', profile: { text: 'EGFR L858R; TP53 R273H' } }) });
      if (r.status !== 201) throw new Error(`load: seeding answered ${r.status}`);
    }

    let n = 0;
    const today = new Date().toISOString().slice(0, 10);
    const profile = JSON.stringify({
      id: 'load', tumourType: 'LUAD',
      alterations: [
        { gene: 'EGFR', kind: 'mutation', change: 'L858R' }, { gene: 'TP53', kind: 'mutation', change: 'R273H' },
        { gene: 'CDKN2A', kind: 'deletion' }, { kind: 'signature', name: 'TMB', value: 6.1 },
      ],
    });
    const meeting = await fetch(`${url}/api/meetings`, { method: 'POST', headers, body: JSON.stringify({ date: today, board: 'load', agenda: ['SEED-1'] }) });
    const meetingId = ((await meeting.json()) as { id: string }).id;
    // Four reads, a ranking, two writes (a new case with its profile; an agenda change), each write audited.
    const requests: AutocannonRequest[] = [
      { method: 'GET', path: '/api/cases' },
      { method: 'POST', path: '/api/rank', body: profile },
      { method: 'GET', path: '/api/cases/SEED-3' },
      { method: 'POST', path: '/api/cases', setupRequest: (req) => ({ ...req, body: JSON.stringify({ id: `LOAD-${process.pid}-${n++}`, tumourType: 'COADREAD', profile: { text: 'KRAS G12D; PIK3CA H1047R' } }) }) },
      { method: 'GET', path: `/api/meetings/${meetingId}` },
      { method: 'GET', path: '/api/tumour-types' },
      { method: 'POST', path: `/api/meetings/${meetingId}/agenda`, setupRequest: (req) => ({ ...req, body: JSON.stringify({ caseId: `SEED-${n++ % 20}` }) }) },
    ];
    if (!WRITES) requests.splice(0, requests.length, ...requests.filter((r) => r.method === 'GET' || r.path === '/api/rank'));
    // One run: connections are opened once. The first WARMUP seconds are the warm-up (all 100 connections
    // opening at once against a busy single-threaded server wait in line for their first answer); the
    // figures below are of the DURATION seconds after it. autocannon's own totals cover the whole run.
    const instance = autocannon({ url, connections: CONNECTIONS, duration: WARMUP + DURATION, headers, requests, timeout: Number(process.env.LOAD_TIMEOUT ?? 30) }) as Promise<AutocannonResult> & {
      on: (event: string, fn: (...args: any[]) => void) => void;
    };
    const t0 = performance.now();
    const measuring = () => performance.now() - t0 >= WARMUP * 1000;
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let errorsAfterWarmup = 0;
    instance.on('response', (_client: unknown, status: number, _bytes: number, rt: number) => {
      if (!measuring()) return;
      latencies.push(rt);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
    instance.on('reqError', () => {
      if (measuring()) errorsAfterWarmup++;
    });
    const samples: Array<{ t: number; rss: number }> = [];
    const sampler = setInterval(() => samples.push({ t: (performance.now() - t0) / 1000, rss: rssOf(child.pid!) }), 1000);
    process.stderr.write(`load: ${WARMUP} s warm-up + ${DURATION} s measured, ${CONNECTIONS} connections\n`);
    const result = await instance;
    clearInterval(sampler);
    const rssEnd = rssOf(child.pid!);
    samples.push({ t: WARMUP + DURATION, rss: rssEnd });
    // A level, not one reading: the median resident memory over the first and over the last 5 seconds after the warm-up.
    const after = samples.filter((x) => x.t >= WARMUP).map((x) => x.rss);
    const levelAfterWarmup = median(after.slice(0, 5));
    const levelAtEnd = median(after.slice(-5));
    const change = (levelAtEnd - levelAfterWarmup) / levelAfterWarmup;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]! * 10) / 10;
    const non2xx = Object.entries(statuses).filter(([k]) => !k.startsWith('2')).reduce((a, [, v]) => a + v, 0);
    const figures = {
      connections: CONNECTIONS, warmupSeconds: WARMUP, durationSeconds: DURATION,
      requests: latencies.length, rps: Math.round(latencies.length / DURATION),
      latencyMs: { mean: Math.round((latencies.reduce((a, b) => a + b, 0) / latencies.length) * 10) / 10, p50: pct(50), p90: pct(90), p99: pct(99), 'p99.9': pct(99.9), max: pct(100) },
      errors: errorsAfterWarmup, non2xx, statusCodes: statuses,
      wholeRun: { requests: result.requests.total, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, maxLatencyMs: result.latency.max },
      memoryMB: {
        levelAfterWarmup: mb(levelAfterWarmup), levelAtEnd: mb(levelAtEnd), end: mb(rssEnd),
        max: mb(Math.max(...after)), min: mb(Math.min(...after)), changePercent: Math.round(change * 1000) / 10,
      },
    };
    process.stderr.write(`load: resident memory (MB) every 5 s: ${samples.filter((_, i) => i % 5 === 0).map((x) => mb(x.rss)).join(' ')}\n`);
    const pass = result.errors === 0 && result.timeouts === 0 && result.non2xx === 0 && errorsAfterWarmup === 0 && non2xx === 0 && Math.abs(change) <= 0.1;
    console.log(JSON.stringify({ pass, ...figures }));
    return pass ? 0 : 1;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(data, { recursive: true, force: true });
  }
}

process.exitCode = await main();

/**
 * /api/health/ready tells monitoring whether the data folder takes writes: the
 * real `mtbnet serve` on a data folder answers 200 while it does, and 503
 * "degraded" naming what to do once the folder is gone or the disk holds less
 * than MTBNET_MIN_FREE_MB; /api/health (liveness) says the same with 200.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawnServe } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'mtbnet-health-'));
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function serve(dataDir: string, env: Record<string, string> = {}): Promise<string> {
  const started = spawnServe(dataDir, env);
  child = started.child;
  return started.ready;
}

const health = async (url: string, path = '/api/health/ready') => {
  const r = await fetch(`${url}${path}`);
  return { status: r.status, body: await r.json() };
};

describe('GET /api/health/ready and the data folder', () => {
  it('answers ok while the folder is writable, and 503 degraded once it is gone', async () => {
    const dataDir = join(dir, 'data');
    const url = await serve(dataDir);
    const ok = await health(url);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'ok', data: { writable: true, lowDisk: false } });
    expect(ok.body.data.problem).toBeUndefined();
    // Where the folder is stays private: anyone may ask.
    expect(JSON.stringify(ok.body)).not.toContain(dataDir);

    rmSync(dataDir, { recursive: true, force: true });
    const gone = await health(url);
    expect(gone.status).toBe(503);
    expect(gone.body).toMatchObject({ status: 'degraded', data: { writable: false } });
    expect(gone.body.data.problem).toMatch(/data folder cannot be written: .*check its permissions and the disk/);
    // Liveness stays 200 (restarting would not mend the folder; the board can still read), saying the same.
    const live = await health(url, '/api/health');
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: 'degraded', data: { writable: false } });
  });

  it('answers 503 degraded when the disk has less free than MTBNET_MIN_FREE_MB', async () => {
    // No disk here has a petabyte free.
    const url = await serve(join(dir, 'full'), { MTBNET_MIN_FREE_MB: String(1024 ** 3) });
    const low = await health(url);
    expect(low.status).toBe(503);
    expect(low.body).toMatchObject({ status: 'degraded', data: { writable: true, lowDisk: true } });
    expect(low.body.data.problem).toMatch(/less than 1073741824 MB free: free disk space before saving fails \(MTBNET_MIN_FREE_MB/);
  });
});

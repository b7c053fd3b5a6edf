/**
 * /api/health/ready tells monitoring whether the data folder takes writes: the
 * real `mtbnet serve` on a data folder answers 200 while it does, and 503
 * "degraded" naming what to do once the folder is gone or the disk holds less
 * than MTBNET_MIN_FREE_MB; /api/health (liveness) says the same with 200. Below
 * MTBNET_WRITE_RESERVE_MB free, changes are refused (507) and nothing is saved,
 * while reads and rankings go on.
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

  it('refuses changes with 507 and saves nothing while less than MTBNET_WRITE_RESERVE_MB is free; reads and rankings go on', async () => {
    const dataDir = join(dir, 'reserve');
    // No disk here has a petabyte free: every change meets the reserve.
    const url = await serve(dataDir, { MTBNET_AUTH: 'local', MTBNET_WRITE_RESERVE_MB: String(1024 ** 3) });
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const refused = await post('/api/cases', { id: 'FULL-1', tumourType: 'LUAD', profile: { text: 'EGFR L858R' } });
    expect(refused.status).toBe(507);
    const body = await refused.json();
    expect(body.error.code).toBe('insufficient_storage');
    expect(body.error.message).toMatch(/less than 1073741824 MB free, so nothing was saved: free disk space, then try again/);
    expect(JSON.stringify(body)).not.toContain(dataDir);
    expect((await fetch(`${url}/api/cases/FULL-1`)).status).toBe(404);
    expect((await post('/api/meetings', { date: '2025-06-03', board: 'Thoracic MTB' })).status).toBe(507);
    // Rankings change nothing: they go on, and so do reads.
    const ranked = await post('/api/rank', { text: 'EGFR L858R', tumourType: 'LUAD' });
    expect(ranked.status).toBe(200);
    expect((await fetch(`${url}/api/cases`)).status).toBe(200);
    // Nothing changed, so no change is audited: the refused case has only the row of its (404) read.
    const audit = await fetch(`${url}/api/audit`);
    expect(audit.status).toBe(200);
    const rows = ((await audit.json()) as { entries: Array<{ action: string; target: string | null }> }).entries;
    expect(rows.filter((r) => r.target === 'FULL-1').map((r) => r.action)).toEqual(['GET /api/cases/:id']);
    expect(rows.filter((r) => r.action.startsWith('POST'))).toEqual([]);
  });

  it('saves changes as usual with MTBNET_WRITE_RESERVE_MB=0', async () => {
    const url = await serve(join(dir, 'no-reserve'), { MTBNET_AUTH: 'local', MTBNET_WRITE_RESERVE_MB: '0' });
    const created = await fetch(`${url}/api/cases`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'OK-1', tumourType: 'LUAD', profile: { text: 'EGFR L858R' } }),
    });
    expect(created.status).toBe(201);
  });
});

/**
 * An acknowledged write survives a crash: the real `mtbnet serve` process on a
 * data folder, a case created and ranked over HTTP, then SIGKILL (no clean
 * shutdown, no checkpoint); the SQLite file opened afterwards holds both.
 * And `mtbnet serve` creates the data folder it is given, and in single-user
 * mode answers requests to loopback names only.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteCaseStore } from '../../server/store/sqlite/store.ts';
import { spawnServe } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'mtbnet-crash-'));
let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function serve(dataDir: string): Promise<string> {
  const started = spawnServe(dataDir, { MTBNET_AUTH: 'local' });
  child = started.child;
  return started.ready;
}

describe('crash safety of the case store', () => {
  it('keeps a case and its snapshot that were acknowledged before SIGKILL', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const url = await serve(dataDir);
    expect(existsSync(join(dataDir, 'mtbnet.sqlite'))).toBe(true);
    // Single-user mode answers loopback names only (a DNS-rebound page gets 421).
    const rebound = await new Promise<number>((resolve, reject) =>
      get(`${url}/api/health`, { headers: { host: 'attacker.example' } }, (r) => (r.resume(), resolve(r.statusCode!))).on('error', reject));
    expect(rebound).toBe(421);
    const created = await fetch(`${url}/api/cases`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'CRASH-1', tumourType: 'LUAD', profile: { text: 'EGFR L858R' } }),
    });
    expect(created.status).toBe(201);
    const ranked = await fetch(`${url}/api/cases/CRASH-1/rank`, { method: 'POST' });
    expect(ranked.status).toBe(201);
    const snapshotId = (await ranked.json()).id as string;

    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child!.kill('SIGKILL');
    await exited;

    const store = new SqliteCaseStore({ file: join(dataDir, 'mtbnet.sqlite') });
    try {
      expect((await store.getCase('CRASH-1'))?.status).toBe('prepared');
      expect((await store.getSnapshot(snapshotId))?.result.therapies[0]?.id).toBe('osimertinib');
    } finally {
      await store.close();
    }
  });
});

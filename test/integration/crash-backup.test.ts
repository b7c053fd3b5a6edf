/**
 * Backup during writes: while a clinician records cases, rankings and
 * decisions over HTTP, `backupDatabase` (in-process) and `mtbnet backup` (a
 * separate process) copy the live SQLite file; `mtbnet restore` puts a backup
 * in a fresh data folder. Each copy must be consistent: integrity and foreign
 * keys ok, every decided case with its decision and the other way round,
 * the audit chain intact, and every write acknowledged before the backup
 * began present in it. Graceful shutdown finishes a request in flight.
 */
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../server/engine.ts';
import { AuditLog } from '../../server/security/audit.ts';
import { backupDatabase } from '../../server/store/sqlite/backup.ts';
import { SqliteSecurityStore } from '../../server/store/sqlite/security-store.ts';
import { runCli, spawnServe } from '../helpers/cli.ts';
import { PASSWORD, Browser, startSecureServer, type SecureServer } from '../helpers/session.ts';

const engine = createEngine();
let srv: SecureServer;

beforeAll(async () => {
  srv = await startSecureServer({ engine, rankLimit: 0 });
});
afterAll(async () => {
  await srv?.close();
});

/** Consistency of a copy; returns the decided case ids. */
function checkCopy(file: string): Set<string> {
  const db = new Database(file);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const bad = db.prepare(
      `SELECT c.id, c.status, (SELECT COUNT(*) FROM decisions d WHERE d.case_id = c.id) AS n FROM cases c
       WHERE (c.status = 'decided') != (n = 1)`,
    ).all();
    expect(bad).toEqual([]);
    expect(new AuditLog(new SqliteSecurityStore(db)).verify().ok).toBe(true);
    return new Set((db.prepare('SELECT case_id FROM decisions').all() as Array<{ case_id: string }>).map((r) => r.case_id));
  } finally {
    db.close();
  }
}

describe('backup and restore during writes', () => {
  it('copies a consistent database while decisions are being written, and restores it', async () => {
    const b = await srv.as(['clinician']);
    const today = new Date().toISOString().slice(0, 10);
    const decided: string[] = [];
    let stop = false;
    let n = 0;
    const writer = async () => {
      while (!stop) {
        const id = `BK-${n++}`;
        expect((await b.call('POST', '/api/cases', { id, tumourType: 'LUAD', profile: { text: 'EGFR L858R; TP53 R273H' } })).status).toBe(201);
        expect((await b.call('POST', `/api/cases/${id}/rank`)).status).toBe(201);
        const m = await b.call('POST', '/api/meetings', { date: today, board: 'backup', agenda: [id] });
        const d = await b.call('POST', `/api/meetings/${m.body.id}/decisions`, { caseId: id, therapy: ['osimertinib'], rationale: 'FLAURA' });
        expect(d.status).toBe(201);
        decided.push(id);
      }
    };
    const writing = Promise.all([writer(), writer()]);
    await new Promise((r) => setTimeout(r, 400));

    const before1 = [...decided];
    const inProcess = join(srv.dir, 'backup-1.sqlite');
    const r1 = await backupDatabase(srv.file, inProcess);
    expect(r1.ok).toBe(true);

    await new Promise((r) => setTimeout(r, 200));
    const before2 = [...decided];
    const viaCli = join(srv.dir, 'backup-2.sqlite');
    const cli = await runCli(['backup', viaCli, '--data', srv.dir]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/integrity ok/);
    stop = true;
    await writing;

    expect(before2.length).toBeGreaterThan(before1.length);
    const in1 = checkCopy(inProcess);
    for (const id of before1) expect(in1.has(id), `${id} in backup 1`).toBe(true);
    const in2 = checkCopy(viaCli);
    for (const id of before2) expect(in2.has(id), `${id} in backup 2`).toBe(true);
    expect(existsSync(`${viaCli}-wal`)).toBe(false); // one self-contained file
    // Readable by the owner alone: a backup holds password hashes, the audit log and every case.
    for (const f of [inProcess, viaCli]) expect(statSync(f).mode & 0o777, f).toBe(0o600);

    // Restore into a fresh data folder, and refuse to overwrite without --force.
    const target = join(srv.dir, 'restored');
    const restored = await runCli(['restore', viaCli, '--data', target]);
    expect(restored.code, restored.stderr).toBe(0);
    expect((await runCli(['restore', viaCli, '--data', target])).code).toBe(2);
    const back = checkCopy(join(target, 'mtbnet.sqlite'));
    expect([...back].sort()).toEqual([...in2].sort());
    const verify = await runCli(['audit', 'verify', '--data', target]);
    expect(verify.code, verify.stdout).toBe(0);
    // A backup written by a newer mtbnet is refused before anything is replaced, without a stack trace.
    const newer = join(srv.dir, 'newer.sqlite');
    copyFileSync(viaCli, newer);
    const nd = new Database(newer);
    nd.pragma('user_version = 99');
    nd.close();
    const sizeBefore = statSync(join(target, 'mtbnet.sqlite')).size;
    const refused = await runCli(['restore', newer, '--data', target, '--force']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/schema version 99, newer than this mtbnet .*nothing was replaced/);
    expect(refused.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(statSync(join(target, 'mtbnet.sqlite')).size).toBe(sizeBefore);
    expect(checkCopy(join(target, 'mtbnet.sqlite'))).toEqual(back);
    // The same for a newer security schema alone (accounts and the audit log share the file).
    const newerSecurity = join(srv.dir, 'newer-security.sqlite');
    copyFileSync(viaCli, newerSecurity);
    const ns = new Database(newerSecurity);
    ns.prepare('INSERT INTO security_schema (version) VALUES (99)').run();
    ns.close();
    const refused2 = await runCli(['restore', newerSecurity, '--data', target, '--force']);
    expect(refused2.code).toBe(2);
    expect(refused2.stderr).toMatch(/security schema version 99, newer than this mtbnet .*nothing was replaced/);
    expect(checkCopy(join(target, 'mtbnet.sqlite'))).toEqual(back);
    // The accounts came along: the restored store signs in the same people.
    const list = await runCli(['users', 'list', '--json', '--data', target]);
    expect(JSON.parse(list.stdout).map((u: { id: string }) => u.id)).toContain('root');
  }, 60_000);
});

describe('graceful shutdown', () => {
  it('finishes a request in flight on SIGTERM, then exits 0', async () => {
    const dataDir = join(srv.dir, 'graceful');
    const { child, ready } = spawnServe(dataDir, { MTBNET_AUTH: '', MTBNET_WORKERS: '1' });
    const url = await ready;
    const b = new Browser(url);
    expect((await b.call('POST', '/api/auth/setup', { username: 'chair', password: PASSWORD })).status).toBe(201);
    // A large VCF-free profile keeps the server busy for a moment; SIGTERM arrives meanwhile.
    const text = Array.from({ length: 3000 }, (_, i) => (i % 2 ? 'EGFR L858R' : 'KRAS G12D')).join('\n');
    const pending = b.call('POST', '/api/rank', { text, tumourType: 'LUAD' });
    await new Promise((r) => setTimeout(r, 30));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const r = await pending;
    expect(r.status).toBe(200);
    expect(r.body.therapies.length).toBeGreaterThan(0);
    expect(await exited).toBe(0);
  }, 60_000);
});

/**
 * Crash safety of acknowledged writes, 20 times over: the real `mtbnet serve`
 * (local accounts, signed in), a stream of board decisions written four at a
 * time, SIGKILL after a few acknowledgements while others are in flight; then,
 * with the process dead, the SQLite file is opened and must hold every
 * acknowledged decision exactly as acknowledged (and its case decided), no
 * half-written one (a decision without its status change, or the reverse),
 * pass `PRAGMA integrity_check`, and keep an intact audit chain with a row for
 * every acknowledged decision. The next round restarts the server on the same
 * file, and the session from before the crash is still valid.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServe } from '../helpers/cli.ts';
import { Browser, PASSWORD } from '../helpers/session.ts';
import { AuditLog } from '../../server/security/audit.ts';
import { SqliteSecurityStore } from '../../server/store/sqlite/security-store.ts';

const ROUNDS = 20;
const PER_ROUND = 10;
const dir = mkdtempSync(join(tmpdir(), 'mtbnet-crash20-'));
const dataDir = join(dir, 'data');
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function serve(): Promise<string> {
  const started = spawnServe(dataDir, { MTBNET_AUTH: '', MTBNET_RANK_LIMIT: '0', MTBNET_WORKERS: '1' });
  child = started.child;
  return started.ready;
}

async function kill(): Promise<void> {
  const c = child!;
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((resolve) => c.once('exit', resolve));
  c.kill('SIGKILL');
  await exited;
}

interface Acked {
  id: string;
  caseId: string;
  body: unknown;
}

describe('crash safety: SIGKILL during a stream of decisions', () => {
  it(`keeps every acknowledged decision and no half-written one, ${ROUNDS} rounds`, async () => {
    let browser: Browser | undefined;
    const acked: Acked[] = [];
    let killedInFlight = 0;
    const today = new Date().toISOString().slice(0, 10);
    for (let round = 0; round < ROUNDS; round++) {
      const url = await serve();
      if (!browser) {
        browser = new Browser(url);
        expect((await browser.call('POST', '/api/auth/setup', { username: 'chair', password: PASSWORD })).status).toBe(201);
      } else {
        // The session outlives the crash: same cookie, same CSRF token, new process and port.
        const b = new Browser(url);
        b.cookie = browser.cookie;
        b.csrf = browser.csrf;
        browser = b;
        expect((await browser.call('GET', '/api/auth/me')).body.user?.id).toBe('chair');
      }
      // Prepare this round's cases: created, ranked (prepared), on one meeting's agenda.
      const ids = Array.from({ length: PER_ROUND }, (_, i) => `CR-${round}-${i}`);
      for (const id of ids) {
        expect((await browser.call('POST', '/api/cases', { id, tumourType: 'LUAD', profile: { text: 'EGFR L858R' } })).status).toBe(201);
        expect((await browser.call('POST', `/api/cases/${id}/rank`)).status).toBe(201);
      }
      const meeting = await browser.call('POST', '/api/meetings', { date: today, board: `crash ${round}`, agenda: ids });
      expect(meeting.status).toBe(201);

      // Stream the decisions, four in flight; SIGKILL after a few acknowledgements.
      const killAfter = 2 + (round % 6);
      let next = 0;
      let acks = 0;
      let killing: Promise<void> | undefined;
      const worker = async () => {
        while (next < ids.length && !killing) {
          const caseId = ids[next++]!;
          try {
            const r = await browser!.call('POST', `/api/meetings/${meeting.body.id}/decisions`, {
              caseId, therapy: ['osimertinib'], rationale: `round ${round}: FLAURA`, dissent: 'x'.repeat(200),
            });
            if (r.status === 201) {
              acked.push({ id: r.body.id, caseId, body: r.body });
              if (++acks === killAfter) killing ??= kill();
            } else throw new Error(`unexpected ${r.status}: ${JSON.stringify(r.body)}`);
          } catch (e) {
            if (!killing) throw e;
            killedInFlight++;
          }
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      await (killing ?? kill());

      // The process is dead: read the file as the next start would.
      const db = new Database(join(dataDir, 'mtbnet.sqlite'));
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        for (const a of acked) {
          const row = db.prepare('SELECT body FROM decisions WHERE id = ?').get(a.id) as { body: string } | undefined;
          expect(row, `acknowledged decision ${a.id} for ${a.caseId}`).toBeDefined();
          expect(JSON.parse(row!.body)).toEqual(a.body);
        }
        // None half-written: a case is decided exactly when it has a decision.
        const states = db.prepare(
          `SELECT c.id, c.status, (SELECT COUNT(*) FROM decisions d WHERE d.case_id = c.id) AS n FROM cases c WHERE c.id LIKE ?`,
        ).all(`CR-${round}-%`) as Array<{ id: string; status: string; n: number }>;
        expect(states).toHaveLength(PER_ROUND);
        for (const s of states) expect(`${s.id} ${s.status} ${s.n}`).toBe(`${s.id} ${s.n === 1 ? 'decided' : 'prepared'} ${s.n}`);
        // Every acknowledged decision is audited, and the chain holds.
        const audit = new AuditLog(new SqliteSecurityStore(db));
        expect(audit.verify().ok).toBe(true);
        const audited = new Set(audit.list().filter((e) => e.action === 'POST /api/meetings/:id/decisions').map((e) => (e.after as { id: string }).id));
        for (const a of acked) expect(audited.has(a.id), `audit row for ${a.id}`).toBe(true);
      } finally {
        db.close();
      }
    }
    expect(acked.length).toBeGreaterThanOrEqual(ROUNDS * 2);
    console.log(`crash: ${ROUNDS} rounds, ${acked.length} acknowledged decisions kept, ${killedInFlight} requests cut off in flight`);
  }, 180_000);
});

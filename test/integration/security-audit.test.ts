/**
 * The audit log over the real app: sign-ins, case changes and decisions are
 * recorded with who, what, when, before and after; admins read it; rows
 * cannot be changed or removed (triggers), and a row edited by hand is found
 * by `mtbnet audit verify` and by the API's verify. Free-text fields that look
 * like identifiers are flagged in the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../server/engine.ts';
import { runCli } from '../helpers/cli.ts';
import { Browser, PASSWORD, startSecureServer, type SecureServer } from '../helpers/session.ts';
import type { AuditRecord } from '../../server/security/audit.ts';
import { freeTextWarnings, identifierPatterns, pseudonymousId, redactForLog } from '../../server/security/privacy.ts';

const engine = createEngine();
let srv: SecureServer;
let clinician: Browser;
let admin: Browser;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  srv = await startSecureServer({ engine });
  clinician = await srv.as(['clinician'], 'dr.who');
  admin = await srv.as(['admin'], 'boss');
}, 30_000);
afterAll(async () => {
  await srv?.close();
});

const entries = async (): Promise<AuditRecord[]> => (await admin.call('GET', '/api/audit?limit=1000')).body.entries;

describe('audit log', () => {
  it('records sign-ins, case changes and decisions with who, what, before and after', async () => {
    expect((await new Browser(srv.server.url).login('dr.who', 'not the password!')).status).toBe(401);
    expect((await clinician.call('POST', '/api/cases', { id: 'AUD-1', tumourType: 'LUAD', profile: { text: 'EGFR L858R' } })).status).toBe(201);
    const snap = await clinician.call('POST', '/api/cases/AUD-1/rank');
    expect(snap.status).toBe(201);
    const m = await clinician.call('POST', '/api/meetings', { date: today, board: 'Thoracic', agenda: ['AUD-1'] });
    const d = await clinician.call('POST', `/api/meetings/${m.body.id}/decisions`, { caseId: 'AUD-1', therapy: ['osimertinib'], rationale: 'FLAURA; approved first line' });
    expect(d.status).toBe(201);
    expect(d.body.privacyWarnings).toBeUndefined();

    const log = await entries();
    const by = (action: string) => log.filter((e) => e.action === action);
    expect(by('auth.login').map((e) => e.actor)).toEqual(expect.arrayContaining(['dr.who', 'boss']));
    expect(by('auth.login-failed').at(-1)).toMatchObject({ actor: 'dr.who', after: { reason: 'wrong password' } });
    expect(by('POST /api/cases').at(-1)).toMatchObject({ actor: 'dr.who', target: 'AUD-1', before: null, after: { case: { id: 'AUD-1', status: 'new' } } });
    const rank = by('POST /api/cases/:id/rank').at(-1)!;
    expect(rank).toMatchObject({ actor: 'dr.who', target: 'AUD-1', before: { case: { status: 'new' } }, after: { id: snap.body.id } });
    expect((rank.after as { top: string[] }).top[0]).toBe('osimertinib');
    const decision = by('POST /api/meetings/:id/decisions').at(-1)!;
    expect(decision).toMatchObject({ actor: 'dr.who', target: 'AUD-1', before: { case: { status: 'prepared' } }, after: { caseId: 'AUD-1', therapyId: 'osimertinib', recordedBy: 'dr.who' } });
    expect(Date.parse(decision.at)).toBeGreaterThan(Date.now() - 60_000);
    // Rankings that change nothing are not audited.
    expect((await clinician.call('POST', '/api/rank', { alterations: [{ gene: 'BRAF', kind: 'mutation', change: 'V600E' }] })).status).toBe(200);
    expect((await entries()).some((e) => e.action === 'POST /api/rank')).toBe(false);
    expect((await admin.call('GET', '/api/audit/verify')).body).toMatchObject({ ok: true });
  });

  it('records who read which case (the case, its snapshots, the cases like it, its report) and with what answer; the lists are not rows', async () => {
    const viewer = await srv.as(['viewer'], 'dr.reader');
    const opened = await viewer.call('GET', '/api/cases/AUD-1');
    expect(opened.status).toBe(200);
    const snapshot = opened.body.snapshots[0].id as string;
    expect((await viewer.call('GET', `/api/cases/AUD-1/snapshots/${encodeURIComponent(snapshot)}`)).status).toBe(200);
    expect((await viewer.call('GET', '/api/cases/AUD-1/similar')).status).toBe(200);
    expect((await viewer.call('GET', '/api/cases/AUD-1/report?format=html')).status).toBe(200);
    expect((await viewer.call('GET', '/api/cases/NOT-THERE')).status).toBe(404);
    expect((await viewer.call('GET', '/api/cases')).status).toBe(200);
    expect((await viewer.call('GET', '/api/case-summaries')).status).toBe(200);
    // Each row is written as its answer ends: wait for the last one.
    const reads = async () => (await entries()).filter((e) => e.actor === 'dr.reader' && e.action.startsWith('GET '));
    await expect.poll(async () => (await reads()).length).toBe(5);
    expect((await reads()).map((e) => [e.action, e.target, e.after])).toEqual([
      ['GET /api/cases/:id', 'AUD-1', { status: 200 }],
      ['GET /api/cases/:id/snapshots/:snapshotId', 'AUD-1', { status: 200 }],
      ['GET /api/cases/:id/similar', 'AUD-1', { status: 200 }],
      ['GET /api/cases/:id/report', 'AUD-1', { status: 200 }],
      ['GET /api/cases/:id', 'NOT-THERE', { status: 404 }],
    ]);
    expect((await admin.call('GET', '/api/audit/verify')).body).toMatchObject({ ok: true });
  });

  it('is readable by admins only', async () => {
    expect((await clinician.call('GET', '/api/audit')).status).toBe(403);
    expect((await srv.anonymous().call('GET', '/api/audit')).status).toBe(401);
  });

  it('refuses UPDATE and DELETE, and a hand-edited row is found by mtbnet audit verify', async () => {
    const db = srv.store.db;
    expect(() => db.prepare("UPDATE audit_log SET actor = 'nobody' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
    const ok = await runCli(['audit', 'verify', '--data', srv.dir]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/hash chain intact/);
    // Someone with the file and a SQLite shell drops the trigger and rewrites who decided.
    const victim = db.prepare("SELECT seq FROM audit_log WHERE action = 'POST /api/meetings/:id/decisions'").get() as { seq: number };
    db.exec('DROP TRIGGER audit_log_append_only_update');
    db.prepare("UPDATE audit_log SET actor = 'someone.else' WHERE seq = ?").run(victim.seq);
    const bad = await runCli(['audit', 'verify', '--data', srv.dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`TAMPERED: row ${victim.seq}`);
    expect((await admin.call('GET', '/api/audit/verify')).body).toMatchObject({ ok: false, firstBad: { seq: victim.seq } });
  }, 30_000);
});

describe('privacy', () => {
  it('flags free text that looks like a name, birth date or record number, and says so in the answer', async () => {
    expect((await clinician.call('POST', '/api/cases', { id: 'PRIV-1', tumourType: 'MEL', profile: { text: 'BRAF V600E' } })).status).toBe(201);
    expect((await clinician.call('POST', '/api/cases/PRIV-1/rank')).status).toBe(201);
    const m = await clinician.call('POST', '/api/meetings', { date: today, board: 'Skin', agenda: ['PRIV-1'] });
    const d = await clinician.call('POST', `/api/meetings/${m.body.id}/decisions`, {
      caseId: 'PRIV-1', therapy: ['dabrafenib', 'trametinib'], rationale: 'Patient Miller, born 14.03.1961, MRN 00123456: COMBI-d', dissent: 'none',
    });
    expect(d.status).toBe(201);
    const w: string[] = d.body.privacyWarnings;
    expect(w.length).toBeGreaterThanOrEqual(3);
    expect(w.join('\n')).toMatch(/rationale .*name after "patient"/);
    expect(w.join('\n')).toMatch(/rationale .*date of birth/);
    expect(w.join('\n')).toMatch(/rationale .*record number/);
    expect(w.join('\n')).not.toMatch(/Miller|1961|00123456/); // warnings never echo the identifier
  });

  it('refuses a new case ID holding a date, and an attendee named with a title; warns about a meeting name with an identifier; changes nothing', async () => {
    const before = (await clinician.call('GET', '/api/cases')).body;
    for (const id of ['SMITH-JOHN-1961-03-12', 'MTB_12.03.1961', 'X-1961_3_12']) {
      const r = await clinician.call('POST', '/api/cases', { id, tumourType: 'MEL', profile: { text: 'BRAF V600E' } });
      expect(r.status, id).toBe(400);
      expect(JSON.stringify(r.body.error.details), id).toMatch(/"path":"body.id".*a case ID holds no date/);
    }
    expect((await clinician.call('GET', '/api/cases')).body).toEqual(before);
    // the board's own numbering is not a date
    for (const id of ['MTB-2025-014', 'MTB-2025-0142', 'S-19610312abcd']) {
      expect((await clinician.call('POST', '/api/cases', { id, tumourType: 'MEL', profile: { text: 'BRAF V600E' } })).status, id).toBe(201);
    }
    const titled = await clinician.call('POST', '/api/meetings', { date: today, board: 'Skin', attendees: ['pathologist', 'Dr. Hans Mueller'] });
    expect(titled.status).toBe(400);
    expect(JSON.stringify(titled.body.error.details)).toMatch(/attendees\.1.*never a name with a title/);
    const ok = await clinician.call('POST', '/api/meetings', { date: today, board: 'Skin MTB for patient Miller, born 12.03.1961', attendees: ['MS', 'medical oncologist'] });
    expect(ok.status).toBe(201);
    expect(ok.body.privacyWarnings.join('\n')).toMatch(/board .*name after "patient"/);
  });

  it('keeps clinical text quiet: trials, PMIDs, NCT numbers, years', () => {
    for (const t of ['FLAURA (PMID 29151359), NCT02296125; approved 2018', 'KRAS G12C: sotorasib after progression', 'the patient declined chemotherapy']) {
      expect(identifierPatterns(t), t).toEqual([]);
    }
    expect(freeTextWarnings({ rationale: 'ok', nested: { notes: 'Mrs. Jones called' } }).map((x) => x.path)).toEqual(['nested.notes']);
  });

  it('masks what looks like an identifier in log lines', () => {
    expect(redactForLog('api: internal error: case MRN 00123456 born 1961-03-14 mail a.b@c.org at x.ts:12:5')).toBe(
      'api: internal error: case MRN [number] born [date] mail [email] at x.ts:12:5',
    );
  });

  it('gives samples stable pseudonymous IDs that do not reveal the name', () => {
    const a = pseudonymousId('JOHN_DOE_TUMOUR', 'key-1');
    expect(a).toMatch(/^S-[0-9a-f]{12}$/);
    expect(pseudonymousId('JOHN_DOE_TUMOUR', 'key-1')).toBe(a);
    expect(pseudonymousId('JOHN_DOE_TUMOUR', 'key-2')).not.toBe(a);
    expect(a).not.toMatch(/JOHN|DOE/);
  });
});

describe('mtbnet users', () => {
  it('adds, lists, disables and resets accounts from the command line, audited', async () => {
    const data = srv.dir;
    const add = await runCli(['users', 'add', 'Nurse.Ratched', '--role', 'viewer,clinician', '--data', data]);
    expect(add.code, add.stderr).toBe(0);
    const pw = /password: (\S+)/.exec(add.stdout)![1]!;
    expect(pw.length).toBeGreaterThanOrEqual(20);
    expect((await new Browser(srv.server.url).login('nurse.ratched', pw)).status).toBe(200);
    const list = await runCli(['users', 'list', '--json', '--data', data]);
    expect(JSON.parse(list.stdout).find((u: { id: string }) => u.id === 'nurse.ratched')).toMatchObject({ roles: ['clinician', 'viewer'], disabled: false });
    expect((await runCli(['users', 'add', 'x', '--role', 'superuser', '--data', data])).code).toBe(2);
    expect((await runCli(['users', 'add', 'nurse.ratched', '--role', 'viewer', '--data', data])).code).toBe(2);
    const reset = await runCli(['users', 'reset', 'nurse.ratched', '--password-stdin', '--data', data], `${PASSWORD}\n`);
    expect(reset.code, reset.stderr).toBe(0);
    expect((await new Browser(srv.server.url).login('nurse.ratched', pw)).status).toBe(401);
    expect((await new Browser(srv.server.url).login('nurse.ratched', PASSWORD)).status).toBe(200);
    expect((await runCli(['users', 'disable', 'nurse.ratched', '--data', data])).code).toBe(0);
    expect((await new Browser(srv.server.url).login('nurse.ratched', PASSWORD)).status).toBe(401);
    const actions = srv.accounts.audit.list().filter((e) => e.target === 'nurse.ratched').map((e) => `${e.actor.startsWith('cli:') ? 'cli' : e.actor} ${e.action}`);
    expect(actions).toEqual(expect.arrayContaining(['cli users.add', 'cli users.reset', 'cli users.disable']));
  }, 60_000);
});

/**
 * Re-evaluation after a knowledge-base change: a copy of evidence/ in a temp
 * folder, cases ranked with it, one evidence item changed, a new engine on the
 * changed copy; re-evaluation lists exactly the open cases whose top therapies
 * changed, with the changed item named, and leaves closed cases alone.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../server/engine.ts';
import { DEFAULT_EVIDENCE_DIR } from '../../server/evidence/load.ts';
import { SqliteCaseStore } from '../../server/store/sqlite/store.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { reevaluateCommand } from '../../server/cli/commands/reevaluate.ts';

let dir: string;
let evidenceDir: string;
let store: SqliteCaseStore;
let srv: RunningServer;

const call = async (url: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};

/** Flip one evidence item (by id) to resistance in the copied knowledge base; returns the file changed. */
function flipToResistance(root: string, id: string): string {
  for (const sub of ['genes', 'signatures']) {
    for (const f of readdirSync(join(root, sub))) {
      const path = join(root, sub, f);
      const doc = parseDocument(readFileSync(path, 'utf8'));
      const items = doc.get('evidence') as { items: Array<{ get(k: string): unknown; set(k: string, v: unknown): void; delete(k: string): void }> } | undefined;
      const item = items?.items.find((i) => i.get('id') === id);
      if (!item) continue;
      item.set('direction', 'resistance');
      item.delete('superiorTo'); // a randomised win (superiorTo) only goes with sensitivity
      writeFileSync(path, doc.toString());
      return `${sub}/${f}`;
    }
  }
  throw new Error(`evidence item ${id} not found`);
}

const CASES = [
  { id: 'RE-MEL-1', tumourType: 'MEL', text: 'BRAF V600E' },
  { id: 'RE-MEL-2', tumourType: 'MEL', text: 'BRAF V600E; CDKN2A deletion' },
  { id: 'RE-LUAD-1', tumourType: 'LUAD', text: 'EGFR L858R' },
  { id: 'RE-LUAD-2', tumourType: 'LUAD', text: 'KRAS G12C' },
  { id: 'RE-MEL-CLOSED', tumourType: 'MEL', text: 'BRAF V600E' },
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtbnet-reeval-'));
  evidenceDir = join(dir, 'evidence');
  cpSync(DEFAULT_EVIDENCE_DIR, evidenceDir, { recursive: true });
  store = new SqliteCaseStore({ file: join(dir, 'data', 'mtbnet.sqlite') });
  srv = await startServer({ engine: createEngine({ evidenceDir }), store });
  for (const c of CASES) {
    expect((await call(srv.url, 'POST', '/api/cases', { id: c.id, tumourType: c.tumourType, profile: { text: c.text } })).status).toBe(201);
    expect((await call(srv.url, 'POST', `/api/cases/${c.id}/rank`)).status).toBe(201);
  }
  // Close one BRAF case: decided and in follow-up.
  const m = await call(srv.url, 'POST', '/api/meetings', { date: '2025-05-06', board: 'Melanoma MTB', agenda: ['RE-MEL-CLOSED'] });
  await call(srv.url, 'POST', `/api/meetings/${m.body.id}/decisions`, { caseId: 'RE-MEL-CLOSED', therapy: ['dabrafenib', 'trametinib'], rationale: 'Top rank, on-label.' });
  expect((await call(srv.url, 'POST', '/api/cases/RE-MEL-CLOSED/follow-ups', { started: true, bestResponse: 'CR' })).status).toBe(201);
});
afterAll(async () => {
  await srv?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('re-evaluation after an evidence change', () => {
  it('finds nothing changed while the knowledge base is the same', async () => {
    const r = await call(srv.url, 'POST', '/api/reevaluate', {});
    expect(r.status).toBe(200);
    expect(r.body.checked).toBe(4);
    expect(r.body.changed).toEqual([]);
  });

  it('lists exactly the open cases whose top therapies changed, naming the evidence', async () => {
    // The strongest item behind the top therapy of the melanoma case.
    const snap = (await call(srv.url, 'GET', '/api/cases/RE-MEL-1')).body.snapshots[0];
    const full = (await call(srv.url, 'GET', `/api/cases/RE-MEL-1/snapshots/${snap.id}`)).body.result;
    const top = full.therapies[0];
    const item = [...top.evidence].sort((a: { contribution: number }, b: { contribution: number }) => b.contribution - a.contribution)[0].id as string;
    flipToResistance(evidenceDir, item);

    await srv.close();
    srv = await startServer({ engine: createEngine({ evidenceDir }), store });
    const r = await call(srv.url, 'POST', '/api/reevaluate', {});
    expect(r.status).toBe(200);
    expect(r.body.kb.hash).not.toBe(full.kb.hash);
    expect(r.body.changed.map((c: { caseId: string }) => c.caseId).sort()).toEqual(['RE-MEL-1', 'RE-MEL-2']);
    for (const c of r.body.changed) {
      expect(c.previous.top[0]).toContain(top.id);
      expect(c.current.top[0]).not.toContain(`${top.id} [`);
      expect(c.evidence).toContainEqual(expect.objectContaining({ id: item, therapy: top.id, change: 'changed' }));
      expect(c.current.snapshotId).toBeNull();
    }
    // Nothing was stored without save.
    expect((await call(srv.url, 'GET', '/api/cases/RE-MEL-1/snapshots')).body.snapshots).toHaveLength(1);
  });

  it('says the same on the command line (mtbnet reevaluate --data DIR)', async () => {
    let out = '';
    const io = { stdout: (t: string) => void (out += t), stderr: () => {}, readStdinBytes: async () => new Uint8Array() };
    expect(await reevaluateCommand(createEngine({ evidenceDir }), { data: join(dir, 'data') }, io)).toBe(0);
    expect(out).toMatch(/4 open case\(s\) re-ranked .* 2 changed/);
    expect(out).toMatch(/RE-MEL-1 \(prepared\)/);
    expect(out).toMatch(/RE-MEL-2 \(prepared\)/);
    expect(out).not.toMatch(/RE-LUAD|RE-MEL-CLOSED/);
  });

  it('stores new snapshots with save, and then finds nothing more to change', async () => {
    const r = await call(srv.url, 'POST', '/api/reevaluate', { save: true });
    expect(r.body.changed).toHaveLength(2);
    expect((await call(srv.url, 'GET', '/api/cases/RE-MEL-1/snapshots')).body.snapshots).toHaveLength(2);
    expect((await call(srv.url, 'POST', '/api/reevaluate', {})).body.changed).toEqual([]);
  });

  it('names the classes that changed when a drug label was taken out, with no evidence changed', async () => {
    // A glioblastoma case ranked while temozolomide carries its labels (drugs.yaml `labelled`)...
    expect((await call(srv.url, 'POST', '/api/cases', { id: 'RE-GB-1', tumourType: 'GB', profile: { text: 'MGMT promoter methylated' } })).status).toBe(201);
    expect((await call(srv.url, 'POST', '/api/cases/RE-GB-1/rank')).status).toBe(201);
    // ...then its labels taken out of the copy.
    const path = join(evidenceDir, 'drugs.yaml');
    const doc = parseDocument(readFileSync(path, 'utf8'));
    const drugs = doc.get('drugs') as { items: Array<{ get(k: string): unknown; delete(k: string): boolean }> };
    expect(drugs.items.find((d) => d.get('name') === 'temozolomide')!.delete('labelled')).toBe(true);
    writeFileSync(path, doc.toString());
    await srv.close();
    srv = await startServer({ engine: createEngine({ evidenceDir }), store });

    const r = await call(srv.url, 'POST', '/api/reevaluate', {});
    expect(r.body.changed.map((c: { caseId: string }) => c.caseId)).toEqual(['RE-GB-1']);
    const [gb] = r.body.changed;
    expect(gb.previous.top[0]).toBe('temozolomide [on-label, I-A]');
    expect(gb.current.top[0]).toMatch(/^temozolomide \[off-label, /);
    expect(gb.evidence).toEqual([]);
    expect(gb.classes).toEqual([
      { therapy: 'temozolomide', before: { class: 'on-label', tier: 'I-A' }, after: { class: 'off-label', tier: expect.stringMatching(/^[IVX]/) } },
    ]);

    let out = '';
    const io = { stdout: (t: string) => void (out += t), stderr: () => {}, readStdinBytes: async () => new Uint8Array() };
    expect(await reevaluateCommand(createEngine({ evidenceDir }), { data: join(dir, 'data') }, io)).toBe(0);
    expect(out).toMatch(/RE-GB-1 \(prepared\): temozolomide \[on-label, I-A\] -> temozolomide \[off-label, /);
    expect(out).toMatch(/\n {4}temozolomide: on-label I-A -> off-label [IVX]/);

    // With --save, the command line stores the snapshot and audits it, as the same request over HTTP is audited.
    const auditRows = () => {
      const db = new Database(join(dir, 'data', 'mtbnet.sqlite'), { readonly: true });
      try {
        if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'").get()) return [];
        return db.prepare("SELECT actor, action, after FROM audit_log WHERE action = 'cases.reevaluate'").all() as Array<{ actor: string; action: string; after: string }>;
      } finally {
        db.close();
      }
    };
    expect(auditRows()).toEqual([]);
    expect(await reevaluateCommand(createEngine({ evidenceDir }), { data: join(dir, 'data'), save: true }, io)).toBe(0);
    const rows = auditRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor).toMatch(/^cli/);
    const after = JSON.parse(rows[0]!.after) as { saved: Array<{ caseId: string; snapshotId: string }> };
    expect(after.saved.map((x) => x.caseId)).toEqual(['RE-GB-1']);
    const snaps = (await call(srv.url, 'GET', '/api/cases/RE-GB-1/snapshots')).body.snapshots as Array<{ id: string }>;
    expect(snaps[0]!.id).toBe(after.saved[0]!.snapshotId);
  });
});

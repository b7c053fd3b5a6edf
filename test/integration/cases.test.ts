/**
 * The board's whole case workflow over real HTTP on a loopback port, against a
 * real SQLite file: create, rank, meeting, decision, follow-up, outcomes,
 * similar cases; then a restart on the same file finds everything unchanged.
 * Invalid requests answer 4xx and leave the database as it was.
 */
import { SCHEMA_VERSION } from '../../server/store/sqlite/migrations.ts';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../server/engine.ts';
import { SqliteCaseStore } from '../../server/store/sqlite/store.ts';
import { RankResult } from '../../server/domain/result.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let dir: string;
let file: string;
let engine: Engine;
let store: SqliteCaseStore;
let srv: RunningServer;

async function start() {
  store = new SqliteCaseStore({ file });
  srv = await startServer({ engine, store });
}
async function stop() {
  await srv.close();
  await store.close();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtbnet-cases-'));
  file = join(dir, 'data', 'mtbnet.sqlite');
  engine = createEngine();
  await start();
});
afterAll(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${srv.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

/** Every row of every case table, read through a separate connection. */
function dump() {
  const db = new Database(file, { readonly: true });
  try {
    const tables = ['cases', 'profiles', 'profile_alterations', 'snapshots', 'meetings', 'agenda', 'decisions', 'follow_ups'];
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
  } finally {
    db.close();
  }
}

describe('a case from profile to follow-up, over HTTP on SQLite', () => {
  let meetingId = '';
  let snapshotTop = '';
  let before: Record<string, unknown> = {};

  it('creates a case from a text profile', async () => {
    const r = await call('POST', '/api/cases', { id: 'MTB-2025-001', tumourType: 'LUAD', profile: { text: 'EGFR L858R; TP53 R273H', sample: 'primary' } });
    expect(r.status).toBe(201);
    expect(r.body.case.status).toBe('new');
    expect(r.body.case.profiles[0].alterationKeys).toContain('EGFR:p.L858R');
  });

  it('ranks it and keeps the full ranking as a snapshot; the case is prepared', async () => {
    const r = await call('POST', '/api/cases/MTB-2025-001/rank');
    expect(r.status).toBe(201);
    const result = RankResult.parse(r.body.result);
    expect(result.kb.hash).toMatch(/^sha256:/);
    expect(r.body.scoring.version).toBe('2');
    snapshotTop = result.therapies[0]!.id;
    expect(snapshotTop).toBe('osimertinib');
    const c = await call('GET', '/api/cases/MTB-2025-001');
    expect(c.body.case.status).toBe('prepared');
    expect(c.body.snapshots).toHaveLength(1);
    const full = await call('GET', `/api/cases/MTB-2025-001/snapshots/${r.body.id}`);
    expect(full.body.result.therapies.length).toBe(result.therapies.length);
  });

  it('puts it on a meeting agenda', async () => {
    const m = await call('POST', '/api/meetings', { date: '2025-03-04', board: 'Thoracic MTB', attendees: ['oncologist', 'pathologist', 'AB'] });
    expect(m.status).toBe(201);
    meetingId = m.body.id;
    const a = await call('POST', `/api/meetings/${meetingId}/agenda`, { caseId: 'MTB-2025-001' });
    expect(a.status).toBe(200);
    expect(a.body.agenda).toEqual(['MTB-2025-001']);
  });

  it('records a decision that differs from the top rank', async () => {
    const r = await call('POST', `/api/meetings/${meetingId}/decisions`, {
      caseId: 'MTB-2025-001',
      therapy: ['afatinib'],
      rationale: 'Osimertinib not reimbursed for this indication locally; afatinib is on-label.',
      evidenceCited: ['EGFR-sens-afatinib-LUX-Lung3'],
      alternatives: [['osimertinib']],
      dissent: 'One member preferred osimertinib.',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ therapyId: 'afatinib', followedTopRank: false, topTherapyId: 'osimertinib', recordedBy: 'local', class: 'on-label' });
    expect(r.body.rank).toBeGreaterThan(1);
    expect((await call('GET', '/api/cases/MTB-2025-001')).body.case.status).toBe('decided');
  });

  it('records follow-up and moves the case to follow-up', async () => {
    const r = await call('POST', '/api/cases/MTB-2025-001/follow-ups', { started: true, startedOn: '2025-03-10', bestResponse: 'PR', progressionDate: '2025-11-02' });
    expect(r.status).toBe(201);
    expect((await call('GET', '/api/cases/MTB-2025-001')).body.case.status).toBe('follow-up');
  });

  it('summarises outcomes: the top rank was not followed, one partial response', async () => {
    const r = await call('GET', '/api/outcomes');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ cases: 1, decisions: 1, followedTopRank: 0, followedTopRankRate: 0 });
    expect(r.body.byTherapy[0]).toMatchObject({ therapy: 'afatinib', decisions: 1 });
    expect(r.body.byTherapy[0].responses.PR).toBe(1);
    expect(r.body.byClass['on-label'].responses.PR).toBe(1);
    expect(Object.values(r.body.byTier).reduce((n: number, c) => n + (c as { decisions: number }).decisions, 0)).toBe(1);
  });

  it('finds the first case as similar from a second case sharing EGFR L858R', async () => {
    const c = await call('POST', '/api/cases', { id: 'MTB-2025-002', profile: { profile: { tumourType: 'LUAD', alterations: [{ gene: 'EGFR', kind: 'mutation', change: 'p.Leu858Arg' }, { gene: 'MET', kind: 'amplification' }] } } });
    expect(c.status).toBe(201);
    const r = await call('GET', '/api/cases/MTB-2025-002/similar');
    expect(r.status).toBe(200);
    expect(r.body.similar).toHaveLength(1);
    expect(r.body.similar[0]).toMatchObject({ caseId: 'MTB-2025-001', shared: ['EGFR:p.L858R'], status: 'follow-up' });
    expect(r.body.similar[0].decisions[0].therapyId).toBe('afatinib');
    expect(r.body.similar[0].followUps[0].bestResponse).toBe('PR');
    // The first case was created earlier: the second is not "similar" from it.
    expect((await call('GET', '/api/cases/MTB-2025-001/similar')).body.similar).toEqual([]);
  });

  it('lists case summaries, newest first, searched by gene, alteration, ID or tumour type, in pages', async () => {
    const all = await call('GET', '/api/case-summaries');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 2, limit: 100, offset: 0 });
    expect(all.body.cases.map((c: { id: string }) => c.id)).toEqual(['MTB-2025-002', 'MTB-2025-001']);
    // The first case: its latest profile's alterations and the top of its latest ranking, without their bodies.
    const first = all.body.cases[1];
    expect(first).toMatchObject({ id: 'MTB-2025-001', tumourType: 'LUAD', status: 'follow-up' });
    expect(first.alterations.map((a: { key: string }) => a.key)).toEqual(['EGFR:p.L858R', 'TP53:p.R273H']);
    const detail = await call('GET', '/api/cases/MTB-2025-001');
    expect(first.top).toEqual(detail.body.snapshots[0].top.slice(0, 5));
    expect(all.body.cases[0].top).toEqual([]); // never ranked
    const ids = async (query: string) => (await call('GET', `/api/case-summaries?${query}`)).body.cases.map((c: { id: string }) => c.id);
    expect(await ids('q=met')).toEqual(['MTB-2025-002']);
    expect(await ids('q=L858R%20luad')).toEqual(['MTB-2025-002', 'MTB-2025-001']);
    expect(await ids('q=tp53')).toEqual(['MTB-2025-001']);
    expect(await ids('q=braf')).toEqual([]);
    // A gene's alias finds what the intake stored under its symbol (ERBB1 is EGFR, as HER2 is ERBB2).
    expect(await ids('q=erbb1')).toEqual(await ids('q=egfr'));
    expect(await ids('q=erbb1')).toEqual(['MTB-2025-002', 'MTB-2025-001']);
    expect(await ids('status=follow-up')).toEqual(['MTB-2025-001']);
    expect(await ids('ids=MTB-2025-001,NOPE')).toEqual(['MTB-2025-001']);
    const page = await call('GET', '/api/case-summaries?limit=1&offset=1');
    expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(page.body.cases.map((c: { id: string }) => c.id)).toEqual(['MTB-2025-001']);
    for (const [query, field] of [['limit=0', 'limit'], ['limit=501', 'limit'], ['offset=-1', 'offset'], ['status=archived', 'status'], ['sort=id', 'sort']] as const) {
      const bad = await call('GET', `/api/case-summaries?${query}`);
      expect(bad.status, query).toBe(400);
      expect(JSON.stringify(bad.body.error.details), query).toContain(field);
    }
  });

  it('finds everything unchanged after a restart on the same file', async () => {
    const paths = ['/api/case-summaries', '/api/cases', '/api/cases/MTB-2025-001', '/api/cases/MTB-2025-002', '/api/meetings', `/api/meetings/${meetingId}`, '/api/outcomes', '/api/cases/MTB-2025-002/similar'];
    for (const p of paths) before[p] = (await call('GET', p)).body;
    const snap = (before['/api/cases/MTB-2025-001'] as { snapshots: Array<{ id: string }> }).snapshots[0]!.id;
    before.snapshot = (await call('GET', `/api/cases/MTB-2025-001/snapshots/${snap}`)).body;
    await stop();
    await start();
    for (const p of paths) expect((await call('GET', p)).body, p).toEqual(before[p]);
    expect((await call('GET', `/api/cases/MTB-2025-001/snapshots/${snap}`)).body).toEqual(before.snapshot);
    expect((await call('GET', '/api/health')).body.store).toEqual({ kind: 'sqlite', schemaVersion: SCHEMA_VERSION });
  });

  it('creates another case from an annotated VCF (snpEff ANN)', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../fixtures/profile/snpeff-ann.vcf', import.meta.url), 'utf8');
    const r = await call('POST', '/api/cases', { id: 'MTB-2025-VCF', tumourType: 'SKCM', profile: { text, format: 'vcf' } });
    expect(r.status).toBe(201);
    expect(r.body.case.profiles[0].alterationKeys.length).toBeGreaterThan(0);
  });

  it('creates a case from the one sample of a multi-sample VCF that readSample names, and stores neither the name nor the other samples', async () => {
    const { existsSync, readFileSync } = await import('node:fs');
    // Two tumour samples and a normal: TUMOUR1 carries BRAF V600E, TUMOUR2 the EGFR exon 19 deletion.
    const text = readFileSync(new URL('../fixtures/profile/vep-csq.vcf', import.meta.url), 'utf8');
    const before = dump();
    const unchosen = await call('POST', '/api/cases', { id: 'MTB-2025-TN', tumourType: 'LUAD', profile: { text, format: 'vcf' } });
    expect(unchosen.status).toBe(400);
    expect(JSON.stringify(unchosen.body.error.details)).toMatch(/choose one sample: a VCF's sample column, a MAF's Tumor_Sample_Barcode, a copy-number or fusion table's sample .*profile\.readSample/);
    expect(dump()).toEqual(before);
    const wrong = await call('POST', '/api/cases', { id: 'MTB-2025-TN', tumourType: 'LUAD', profile: { text, format: 'vcf', readSample: 'TUMOUR9' } });
    expect([wrong.status, JSON.stringify(wrong.body.error.details)]).toEqual([400, expect.stringMatching(/the samples in this VCF are TUMOUR1, TUMOUR2, NORMAL/)]);
    const r = await call('POST', '/api/cases', { id: 'MTB-2025-TN', tumourType: 'LUAD', profile: { text, format: 'vcf', readSample: 'TUMOUR2' } });
    expect(r.status).toBe(201);
    const keys: string[] = r.body.case.profiles[0].alterationKeys;
    expect(keys.some((k) => k.startsWith('EGFR:'))).toBe(true);
    expect(keys).not.toContain('BRAF:p.V600E');
    // Nowhere in the database file or its write-ahead log: the sample names chose, and went.
    const stored = ['', '-wal'].map((x) => (existsSync(file + x) ? readFileSync(file + x).toString('latin1') : '')).join('');
    expect(stored).toContain('MTB-2025-TN');
    expect(stored).not.toMatch(/TUMOUR|NORMAL/);
  });

  describe('invalid requests answer 4xx with a clear message and change nothing', () => {
    it.each([
      ['an unknown case', 'POST', '/api/cases/NO-SUCH-CASE/rank', undefined, 404, /no case "NO-SUCH-CASE"/],
      ['an unknown case for follow-up', 'POST', '/api/cases/NO-SUCH-CASE/follow-ups', { started: false, reasonNotStarted: 'x' }, 404, /no case/],
      ['a bad status transition', 'POST', '/api/cases/MTB-2025-002/status', { status: 'decided' }, 409, /cannot go from new to decided/],
      ['a status that does not exist', 'POST', '/api/cases/MTB-2025-002/status', { status: 'archived' }, 400, /status/],
      ['a decision on a case not in the meeting', 'POST', () => `/api/meetings/${meetingId}/decisions`, { caseId: 'MTB-2025-002', therapy: ['osimertinib'], rationale: 'r' }, 409, /not on the agenda/],
      ['a decision in an unknown meeting', 'POST', '/api/meetings/nope/decisions', { caseId: 'MTB-2025-002', therapy: ['osimertinib'], rationale: 'r' }, 404, /no meeting/],
      ['a malformed body', 'POST', '/api/cases', '{"id": "X", "profile": {', 400, /not valid JSON/],
      ['an identifying field', 'POST', '/api/cases', { id: 'MTB-9', name: 'Jane Doe', birthDate: '1950-01-01', profile: { text: 'EGFR L858R' } }, 400, /name|unrecognized/i],
      ['an unknown profile format', 'POST', '/api/cases', { id: 'MTB-9', profile: { text: 'EGFR L858R', format: 'docx' } }, 400, /format is one of json, text/],
      ['a case id that exists', 'POST', '/api/cases', { id: 'MTB-2025-001', profile: { text: 'KRAS G12C' } }, 409, /exists already/],
      // TCGA's OV is not OncoTree's OVARY: stored, it would rank every ovarian approval as another tumour type's
      ['an unknown tumour type', 'POST', '/api/cases', { id: 'MTB-9', tumourType: 'OV', profile: { text: 'BRCA1 Q1756fs' } }, 400, /unknown tumour type "OV".*"path":"tumourType".*is not an OncoTree code of the knowledge base \(perhaps [^)]*OVARY/],
      ['an unknown tumour type in the profile text', 'POST', '/api/cases', { id: 'MTB-9', profile: { text: 'tumour: LUNGCANCER\nEGFR L858R' } }, 400, /unknown tumour type "LUNGCANCER".*"path":"profile".*is not an OncoTree code/],
      ['a profile that cannot be read', 'POST', '/api/cases', { id: 'MTB-9', profile: { profile: { alterations: [{ gene: 'EGFR', kind: 'mutant' }] } } }, 400, /alterations\.0\.kind/],
      ['a follow-up before any decision', 'POST', '/api/cases/MTB-2025-002/follow-ups', { started: true, bestResponse: 'CR' }, 409, /after a decision/],
      ['a follow-up that was not started without a reason', 'POST', '/api/cases/MTB-2025-001/follow-ups', { started: false }, 400, /reasonNotStarted/],
      ['a response that is not RECIST', 'POST', '/api/cases/MTB-2025-001/follow-ups', { started: true, bestResponse: 'good' }, 400, /bestResponse/],
      ['a meeting with an unknown case on its agenda', 'POST', '/api/meetings', { date: '2025-04-01', board: 'MTB', agenda: ['NOPE'] }, 404, /unknown case/],
      ['a meeting with a bad date', 'POST', '/api/meetings', { date: '4 March', board: 'MTB' }, 400, /date/],
      ['re-ranking a closed case', 'POST', '/api/cases/MTB-2025-001/rank', undefined, 409, /follow-up/],
    ] as const)('%s', async (_name, method, path, body, status, message) => {
      const before = dump();
      const r = await call(method, typeof path === 'function' ? path() : path, body);
      expect(r.status).toBe(status);
      expect(r.body.error.code).toBeTypeOf('string');
      expect(`${r.body.error.message} ${JSON.stringify(r.body.error.details)}`).toMatch(message);
      expect(dump()).toEqual(before);
    });
  });
});

describe('concurrent writes', () => {
  it('records one of two simultaneous decisions for the same case, and refuses the other with 409', async () => {
    expect((await call('POST', '/api/cases', { id: 'MTB-RACE', tumourType: 'MEL', profile: { text: 'BRAF V600E' } })).status).toBe(201);
    expect((await call('POST', '/api/cases/MTB-RACE/rank')).status).toBe(201);
    const m = await call('POST', '/api/meetings', { date: '2025-06-01', board: 'Melanoma MTB', agenda: ['MTB-RACE'] });
    const decide = (therapy: string[]) => call('POST', `/api/meetings/${m.body.id}/decisions`, { caseId: 'MTB-RACE', therapy, rationale: 'race' });
    const results = await Promise.all([decide(['dabrafenib', 'trametinib']), decide(['vemurafenib'])]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const c = await call('GET', '/api/cases/MTB-RACE');
    expect(c.body.decisions).toHaveLength(1);
    expect(c.body.case.status).toBe('decided');
  });
});

describe('a path that is not valid percent-encoding', () => {
  it('is answered 400, not an internal error, signed in or not', async () => {
    for (const path of ['/api/cases/%E0%A4%A', '/api/meetings/%ZZ']) {
      for (const r of [await call('GET', path), await fetch(`${srv.url}${path}`).then(async (x) => ({ status: x.status, body: await x.json() }))]) {
        expect(r.status, path).toBe(400);
        expect(r.body.error.message, path).toMatch(/not valid percent-encoding/);
      }
    }
  });
});

describe('a profile added after the stored ranking', () => {
  it('refuses a decision until the newest profile is ranked, then records it against that ranking', async () => {
    expect((await call('POST', '/api/cases', { id: 'MTB-RELAPSE', tumourType: 'MEL', profile: { text: 'BRAF V600E' } })).status).toBe(201);
    expect((await call('POST', '/api/cases/MTB-RELAPSE/rank')).status).toBe(201);
    const m = await call('POST', '/api/meetings', { date: '2025-06-02', board: 'Melanoma MTB', agenda: ['MTB-RELAPSE'] });
    const added = await call('POST', '/api/cases/MTB-RELAPSE/profiles', { text: 'BRAF V600E; NRAS Q61K', sample: 'relapse biopsy' });
    expect(added.status).toBe(201);
    const decide = () => call('POST', `/api/meetings/${m.body.id}/decisions`, { caseId: 'MTB-RELAPSE', therapy: ['dabrafenib', 'trametinib'], rationale: 'relapse' });
    const refused = await decide();
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/has a newer profile \(2\) than its stored ranking \(of profile 1\): rank the case again/);
    expect((await call('GET', '/api/cases/MTB-RELAPSE')).body.decisions).toEqual([]);
    const ranked = await call('POST', '/api/cases/MTB-RELAPSE/rank');
    expect(ranked.body.profileSeq).toBe(2);
    const recorded = await decide();
    expect(recorded.status).toBe(201);
    expect(recorded.body.snapshotId).toBe(ranked.body.id);
  });
});

describe('a profile added to a case without a tumour type', () => {
  it('is refused when its own tumour type is not in the knowledge base, changing nothing, and kept when it is', async () => {
    expect((await call('POST', '/api/cases', { id: 'MTB-NOTYPE', profile: { text: 'BRAF V600E' } })).status).toBe(201);
    const before = dump();
    const refused = await call('POST', '/api/cases/MTB-NOTYPE/profiles', { text: 'tumour: LUNGCANCER\nEGFR L858R' });
    expect(refused.status).toBe(400);
    expect(`${refused.body.error.message} ${JSON.stringify(refused.body.error.details)}`).toMatch(/unknown tumour type "LUNGCANCER".*"path":"profile".*is not an OncoTree code/);
    expect(dump()).toEqual(before);
    const kept = await call('POST', '/api/cases/MTB-NOTYPE/profiles', { text: 'tumour: LUAD\nEGFR L858R' });
    expect(kept.status).toBe(201);
    expect(kept.body.profile.profile.tumourType).toBe('LUAD');
  });
});

describe('the case API contract', () => {
  it('is described in the OpenAPI document, with schemas from the zod models', async () => {
    const doc = await (await fetch(`${srv.url}/api/openapi.json`)).json();
    for (const p of ['/api/cases', '/api/cases/{id}/rank', '/api/meetings/{id}/decisions', '/api/cases/{id}/follow-ups', '/api/outcomes', '/api/cases/{id}/similar', '/api/reevaluate']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(doc.components.schemas.NewCase.additionalProperties).toBe(false);
    expect(doc.components.schemas.Decision.properties.followedTopRank).toBeDefined();
    expect(doc.components.schemas.NewFollowUp.properties.bestResponse.enum).toEqual(['CR', 'PR', 'SD', 'PD', 'NE']);
  });

  it('lets a viewer read but not write, and refuses callers who are not signed in', async () => {
    const viewerStore = new SqliteCaseStore({ file: join(dir, 'roles.sqlite') });
    const viewer = await startServer({ engine, store: viewerStore, auth: (req) => (req.headers['x-test-user'] ? { id: 'v1', roles: ['viewer'] } : undefined) });
    try {
      const as = (path: string, method = 'GET', body?: unknown, signedIn = true) =>
        fetch(`${viewer.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(signedIn ? { 'x-test-user': '1' } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      expect((await as('/api/cases')).status).toBe(200);
      expect((await as('/api/outcomes')).status).toBe(200);
      const w = await as('/api/cases', 'POST', { id: 'V-1', profile: { text: 'EGFR L858R' } });
      expect(w.status).toBe(403);
      expect((await w.json()).error.code).toBe('forbidden');
      expect((await as('/api/cases', 'GET', undefined, false)).status).toBe(401);
      expect(await viewerStore.listCases()).toEqual([]);
    } finally {
      await viewer.close();
      await viewerStore.close();
    }
  });
});

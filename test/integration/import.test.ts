/**
 * `mtbnet import civic|cgi`: both CIViC layouts, idempotence, rejection of a
 * truncated or garbled release (nothing written), and the evidence diff and
 * check that curators use around an import. Reads ../shared/data.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main } from '../../server/cli/main.ts';
import type { Io } from '../../server/cli/io.ts';
import { ROOT, runCli } from '../helpers/cli.ts';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { loadKnowledgeBase } from '../../server/evidence/load.ts';
import { openAccounts } from '../../server/security/open.ts';

const DATA = join(ROOT, '..', 'shared', 'data');
const HAS_DATA = existsSync(join(DATA, 'civic')) && existsSync(join(DATA, 'oncotree'));
if (!HAS_DATA) console.warn(`import tests skipped: no open data at ${DATA} (the CIViC, CGI and OncoTree releases live in ../shared/data)`);

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdinBytes: async () => new Uint8Array() };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

let tmp: string;
let kb: string;
const dataDirBefore = process.env.MTBNET_DATA_DIR;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mtbnet-import-'));
  kb = join(tmp, 'evidence');
  cpSync(join(ROOT, 'evidence'), kb, { recursive: true, filter: (src) => !src.includes(`${join('evidence', 'imports')}`) });
  // Imports are audited in the data folder's database: a temp one, never the checkout's ./data.
  process.env.MTBNET_DATA_DIR = join(tmp, 'data');
});
afterAll(() => {
  if (dataDirBefore === undefined) delete process.env.MTBNET_DATA_DIR;
  else process.env.MTBNET_DATA_DIR = dataDirBefore;
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!HAS_DATA)('mtbnet import civic', () => {
  it('imports the current CIViC layout (molecular profiles, therapies, significance)', async () => {
    const r = await run(['import', 'civic', join(ROOT, 'test/fixtures/civic-current'), '--evidence', kb, '--data', DATA, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.considered).toBe(8); // the prognostic row is not predictive
    const file = parse(readFileSync(join(kb, 'imports', 'civic.yaml'), 'utf8')) as { evidence: Array<Record<string, unknown>> };
    const byId = new Map(file.evidence.map((e) => [e.id, e]));
    expect(byId.get('civic-EID3017')).toMatchObject({ biomarker: 'BRAF V600E', therapy: 'vemurafenib', tumour: 'MEL', level: 'guideline', direction: 'sensitivity', quality: 1 });
    expect(byId.get('civic-EID4001')).toMatchObject({ biomarker: { all: ['BCR::ABL1 fusion', 'ABL1 T315I'] }, therapy: 'imatinib', direction: 'resistance', tumour: 'CML' });
    expect(byId.get('civic-EID4003')).toMatchObject({ therapy: ['cetuximab', 'encorafenib'], level: 'phase3' });
    expect(byId.has('civic-EID4004-erlotinib') && byId.has('civic-EID4004-gefitinib')).toBe(true);
    const reasons = Object.fromEntries(report.unmapped.map((u: { id: string; group: string }) => [u.id, u.group]));
    expect(reasons).toMatchObject({ EID4006: 'drug not in the knowledge base', EID4007: 'variant not understood' });
    expect(report.unmapped.find((u: { id: string }) => u.id === 'EID4006').line).toBe(8);
  });

  it('imports the 2021 release, and a second run changes nothing', async () => {
    const first = await run(['import', 'civic', join(DATA, 'civic', '01-Aug-2021'), '--evidence', kb, '--data', DATA, '--json']);
    expect(first.code).toBe(0);
    const a = JSON.parse(first.stdout);
    expect(a.considered).toBe(2333);
    expect(a.mapped).toBeGreaterThan(1500);
    expect(a.mapped + Object.values(a.byGroup as Record<string, number>).reduce((s, n) => s + n, 0)).toBe(2333);
    const before = readFileSync(join(kb, 'imports', 'civic.yaml'), 'utf8');
    const second = await run(['import', 'civic', join(DATA, 'civic', '01-Aug-2021'), '--evidence', kb, '--data', DATA]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/no changes/);
    expect(readFileSync(join(kb, 'imports', 'civic.yaml'), 'utf8')).toBe(before);
    // the import loads with the knowledge base when switched on
    const check = await run(['evidence', 'check', '--evidence', kb, '--imports', 'civic', '--data', DATA, '--json']);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).evidence).toBeGreaterThan(1500);
  }, 60_000);

  it.each([
    ['truncated mid-row', (t: string) => t.slice(0, Math.floor(t.length / 2)), /:(\d+): the last line has no line end/],
    ['garbled (a field lost)', (t: string) => t.split('\n').map((l, i) => (i === 100 ? l.replace('\t', ' ') : l)).join('\n'), /:101: \d+ field\(s\)/],
  ])('rejects a %s release with the line number and imports nothing', async (_name, damage, message) => {
    const dir = join(tmp, `bad-${Math.random().toString(36).slice(2)}`);
    const fresh = join(dir, 'evidence');
    mkdirSync(dir);
    cpSync(join(ROOT, 'evidence'), fresh, { recursive: true, filter: (src) => !src.includes(`${join('evidence', 'imports')}`) });
    const src = readFileSync(join(DATA, 'civic', '01-Aug-2021', '01-Aug-2021-ClinicalEvidenceSummaries.tsv'), 'utf8');
    const file = join(dir, 'x-ClinicalEvidenceSummaries.tsv');
    writeFileSync(file, damage(src));
    const r = await run(['import', 'civic', file, '--evidence', fresh, '--data', DATA]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rejected, nothing imported/);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(fresh, 'imports', 'civic.yaml'))).toBe(false);
  });
});

describe.skipIf(!HAS_DATA)('mtbnet import cgi', () => {
  it('imports CGI biomarkers idempotently', async () => {
    const file = join(DATA, 'cgi', 'cgi_biomarkers_per_variant.tsv');
    const first = await run(['import', 'cgi', file, '--evidence', kb, '--data', DATA, '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).items).toBeGreaterThan(300);
    const second = await run(['import', 'cgi', file, '--evidence', kb, '--data', DATA]);
    expect(second.stdout).toMatch(/no changes/);
  });
});

describe.skipIf(!HAS_DATA)('mtbnet import: the audit log', () => {
  it('records who imported which release, the counts and the knowledge-base hash before and after; audit verify passes', async () => {
    const fresh = join(tmp, 'audited', 'evidence');
    cpSync(join(ROOT, 'evidence'), fresh, { recursive: true, filter: (src) => !src.includes(`${join('evidence', 'imports')}`) });
    const store = join(tmp, 'audited', 'data');
    const file = join(DATA, 'cgi', 'cgi_biomarkers_per_variant.tsv');
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    const hashWithImport = () => String(loadKnowledgeBase(fresh, { imports: ['cgi'] }).graph.getAttribute('hash'));

    const first = await run(['import', 'cgi', file, '--evidence', fresh, '--data', DATA, '--store', store, '--json']);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.audit).toEqual({ seq: 1, database: join(store, 'mtbnet.sqlite') });
    const afterFirst = hashWithImport();
    const second = await run(['import', 'cgi', file, '--evidence', fresh, '--data', DATA, '--store', store]);
    expect(second.stdout).toMatch(/audit log: row 2 in /);

    const accounts = openAccounts(join(store, 'mtbnet.sqlite'));
    try {
      const rows = accounts.audit.list();
      expect(rows.map((r) => [r.seq, r.action, r.target])).toEqual([
        [1, 'mtbnet import cgi', 'evidence/imports/cgi.yaml'],
        [2, 'mtbnet import cgi', 'evidence/imports/cgi.yaml'],
      ]);
      expect(rows[0]!.actor).toMatch(/^cli(:|$)/);
      expect(Date.now() - Date.parse(rows[0]!.at)).toBeLessThan(120_000);
      const importFile = sha(join(fresh, 'imports', 'cgi.yaml'));
      // First import: there was none before; after: the release (by its SHA-256), counts, the file and the knowledge base with it on.
      expect(rows[0]!.before).toBeNull();
      expect(rows[0]!.after).toMatchObject({
        source: { name: 'cgi', file: 'cgi_biomarkers_per_variant.tsv', sha256: sha(file) },
        considered: report.considered, mapped: report.mapped, items: report.items, unmapped: report.unmapped.length,
        changes: { added: report.items, removed: 0, changed: 0, unchanged: false },
        file: { sha256: importFile },
        kb: { hash: afterFirst, evidence: expect.any(Number) },
      });
      // Second import of the same release: before and after are the same state, and it says nothing changed.
      expect(rows[1]!.before).toEqual({ file: { sha256: importFile }, kb: (rows[0]!.after as { kb: unknown }).kb });
      expect(rows[1]!.after).toMatchObject({ changes: { unchanged: true }, file: { sha256: importFile }, kb: { hash: afterFirst } });
    } finally {
      accounts.store.close();
    }

    // A rejected release changes nothing and leaves no row.
    const broken = join(tmp, 'audited', 'broken.tsv');
    writeFileSync(broken, readFileSync(file, 'utf8').slice(0, 5000));
    const rejected = await run(['import', 'cgi', broken, '--evidence', fresh, '--data', DATA, '--store', store]);
    expect(rejected.code).toBe(2);

    const verify = await runCli(['audit', 'verify', '--data', store]);
    expect(verify.stdout).toMatch(/audit: 2 row\(s\), hash chain intact/);
    expect(verify.code).toBe(0);
  }, 120_000);
});

describe('mtbnet evidence diff', () => {
  it('lists added, removed and changed items between two folders, with the changed fields', async () => {
    const a = join(tmp, 'diff-a');
    const b = join(tmp, 'diff-b');
    cpSync(join(ROOT, 'evidence'), a, { recursive: true });
    cpSync(join(ROOT, 'evidence'), b, { recursive: true });
    const egfr = join(b, 'genes', 'EGFR.yaml');
    const doc = parse(readFileSync(egfr, 'utf8')) as { evidence: Array<Record<string, unknown>> };
    const removed = doc.evidence.shift()!;
    const changed = doc.evidence[0]!;
    changed.level = changed.level === 'phase2' ? 'phase3' : 'phase2';
    doc.evidence.push({ ...changed, id: 'EGFR-diff-test-new' });
    writeFileSync(egfr, stringify(doc));
    const r = await run(['evidence', 'diff', a, b, '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.evidence.added.map((x: { id: string }) => x.id)).toEqual(['EGFR-diff-test-new']);
    expect(d.evidence.removed.map((x: { id: string }) => x.id)).toEqual([removed.id]);
    expect(d.evidence.changed).toEqual([{ id: changed.id, file: 'genes/EGFR.yaml', fields: [{ field: 'level', old: expect.any(String), new: changed.level }] }]);
  });

  it('compares git refs, gene and signature files included, from a knowledge base in a sub-folder of its repository', async () => {
    const repo = join(tmp, 'diff-repo');
    mkdirSync(repo);
    cpSync(join(ROOT, 'evidence'), join(repo, 'evidence'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'a');
    const egfr = join(repo, 'evidence', 'genes', 'EGFR.yaml');
    writeFileSync(egfr, readFileSync(egfr, 'utf8').replace(/^name: .*$/m, 'name: epidermal growth factor receptor (diff test)'));
    const hrd = join(repo, 'evidence', 'signatures', 'hrd.yaml');
    const doc = parse(readFileSync(hrd, 'utf8')) as { evidence: Array<Record<string, unknown>> };
    const gone = doc.evidence.pop()!;
    writeFileSync(hrd, stringify(doc));
    git('commit', '-q', '-a', '-m', 'b');
    const r = await run(['evidence', 'diff', 'HEAD~1', 'HEAD', '--json', '--evidence', join(repo, 'evidence')]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.evidence.removed.map((x: { id: string }) => x.id)).toEqual([gone.id]);
    expect(d.evidence.added).toEqual([]);
    expect(d.genes.changed.map((x: { id: string }) => x.id)).toEqual(['EGFR']);
  });

  it('compares git refs of the repository', async () => {
    const r = await run(['evidence', 'diff', 'HEAD', 'HEAD']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/evidence: 0 added, 0 removed, 0 changed/);
  });
});

describe('mtbnet evidence check: corroboration', () => {
  it.skipIf(!HAS_DATA)('reports the PMIDs corroborated by CIViC or CGI and lists the rest', async () => {
    const r = await run(['evidence', 'check', '--json', '--data', DATA]);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c).toMatchObject({ evidence: expect.any(Number), drugs: expect.any(Number), genes: expect.any(Number), invalid: 0 });
    expect(c.pmids.corroborated / c.pmids.total).toBeGreaterThan(0.6);
    expect(c.pmids.notFound.length).toBe(c.pmids.total - c.pmids.corroborated);
  });

  it('says so and skips corroboration when the open data is absent', async () => {
    const r = await run(['evidence', 'check', '--data', join(tmp, 'nowhere')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no open data at .*corroboration skipped/);
  });
});

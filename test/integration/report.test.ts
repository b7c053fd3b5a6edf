/**
 * Case reports end to end (issue 8): a case with five alterations and a
 * recorded decision, over real HTTP on a temporary SQLite store; every format
 * from GET /api/cases/:id/report and from `mtbnet report`; the PDF opened
 * with poppler (pdfinfo, pdftotext, pdftoppm); byte-identical HTML, FHIR and
 * CSV; clear errors and no file for a missing case or an unsupported format;
 * `mtbnet batch --report-dir`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../server/engine.ts';
import { SqliteCaseStore } from '../../server/store/sqlite/store.ts';
import { main } from '../../server/cli/main.ts';
import { chromiumPath } from '../../server/report/pdf.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { validateGenomicsBundle } from '../unit/report/fhir-validate.ts';

const CASE = 'MTB-RPT-001';
const HAVE_CHROMIUM = existsSync(chromiumPath());
const HAVE_POPPLER = (() => {
  try {
    execFileSync('pdfinfo', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const PDF = HAVE_CHROMIUM && HAVE_POPPLER;
if (!PDF) console.warn(`report: PDF tests skipped: ${HAVE_CHROMIUM ? '' : `no Chromium at ${chromiumPath()} (apt-get install chromium, or set MTBNET_CHROMIUM); `}${HAVE_POPPLER ? '' : 'no poppler-utils (apt-get install poppler-utils)'}`);

let dir: string;
let engine: Engine;
let store: SqliteCaseStore;
let srv: RunningServer;
let topTherapy = '';

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${srv.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
};
const json = (b: Buffer) => JSON.parse(b.toString('utf8'));

function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (s: string) => void (stdout += s), stderr: (s: string) => void (stderr += s), readStdinBytes: async () => new Uint8Array() };
  return main(args, io).then((code) => ({ code, stdout, stderr }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtbnet-report-'));
  engine = createEngine();
  store = new SqliteCaseStore({ file: join(dir, 'data', 'mtbnet.sqlite') });
  srv = await startServer({ engine, store });
  const created = await call('POST', '/api/cases', {
    id: CASE, tumourType: 'LUAD',
    profile: { text: 'EGFR L858R; TP53 R273H; ERBB2 amplification; EML4::ALK; TMB 14.2', sample: 'primary' },
  });
  expect(created.status).toBe(201);
  const ranked = await call('POST', `/api/cases/${CASE}/rank`);
  topTherapy = json(ranked.bytes).result.therapies[0].drugs.join(' + ');
  const meeting = json((await call('POST', '/api/meetings', { date: '2025-03-04', board: 'Thoracic MTB', attendees: ['oncologist'] })).bytes);
  await call('POST', `/api/meetings/${meeting.id}/agenda`, { caseId: CASE });
  const d = await call('POST', `/api/meetings/${meeting.id}/decisions`, {
    caseId: CASE, therapy: ['afatinib'], rationale: 'Osimertinib is not reimbursed here; afatinib is on-label.', evidenceCited: ['EGFR-sens-afatinib-LUX-Lung3'],
  });
  expect(d.status).toBe(201);
});
afterAll(async () => {
  await srv.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/cases/:id/report', () => {
  it('sends HTML inline with its content type, a file name and a CSP that loads nothing', async () => {
    const r = await call('GET', `/api/cases/${CASE}/report?format=html`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe(`inline; filename="${CASE}.html"`);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = r.bytes.toString('utf8');
    expect(html).toContain(CASE);
    expect(html).toContain('Thoracic MTB');
    expect(html).toContain('Osimertinib is not reimbursed here');
    expect(html).toContain('<svg');
  });

  it('sends FHIR and CSV as attachments; the bundle passes the Genomics Reporting check', async () => {
    const f = await call('GET', `/api/cases/${CASE}/report?format=fhir`);
    expect(f.status).toBe(200);
    expect(f.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    expect(f.headers.get('content-disposition')).toBe(`attachment; filename="${CASE}.fhir.json"`);
    expect(validateGenomicsBundle(json(f.bytes))).toEqual([]);
    const c = await call('GET', `/api/cases/${CASE}/report?format=csv`);
    expect(c.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(c.headers.get('content-disposition')).toBe(`attachment; filename="${CASE}.csv"`);
    expect(c.bytes.toString('utf8').split('\r\n')[1]).toContain(`${CASE},LUAD,1,`);
  });

  it('gives byte-identical HTML, FHIR and CSV every time', async () => {
    for (const format of ['html', 'fhir', 'csv']) {
      const a = await call('GET', `/api/cases/${CASE}/report?format=${format}`);
      const b = await call('GET', `/api/cases/${CASE}/report?format=${format}`);
      expect(a.bytes.equals(b.bytes), format).toBe(true);
    }
  });

  it('answers 404 for a case that does not exist and 400 for an unsupported format', async () => {
    const missing = await call('GET', '/api/cases/NO-SUCH-CASE/report?format=html');
    expect(missing.status).toBe(404);
    expect(json(missing.bytes).error.message).toMatch(/no case "NO-SUCH-CASE"/);
    const bad = await call('GET', `/api/cases/${CASE}/report?format=docx`);
    expect(bad.status).toBe(400);
    expect(json(bad.bytes).error.details[0]).toMatchObject({ path: 'query.format', message: 'format is one of html, pdf, fhir, csv' });
    const extra = await call('GET', `/api/cases/${CASE}/report?format=html&colour=red`);
    expect(extra.status).toBe(400);
  });

  it('is in the OpenAPI document', async () => {
    const doc = json((await call('GET', '/api/openapi.json')).bytes);
    expect(doc.paths['/api/cases/{id}/report'].get.responses['200'].content['application/pdf']).toBeDefined();
  });

  it.skipIf(!PDF)('sends a PDF that poppler opens: pages, case id, top therapy and a PMID in its text', async () => {
    const r = await call('GET', `/api/cases/${CASE}/report?format=pdf`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toBe(`inline; filename="${CASE}.pdf"`);
    const file = join(dir, 'api.pdf');
    writeFileSync(file, r.bytes);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThan(40);
    expect(info).toMatch(/Page size:.*\(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(CASE);
    expect(text).toContain(topTherapy);
    expect(text).toMatch(/PMID \d{6,9}/);
    expect(text).toContain(`page 1 of ${pages}`);
    execFileSync('pdftoppm', ['-png', '-r', '30', '-f', '1', '-l', '1', file, join(dir, 'page')]);
    expect(readdirSync(dir).some((f) => f.startsWith('page') && f.endsWith('.png'))).toBe(true);
  }, 60_000);
});

describe('mtbnet report', () => {
  it('writes every text format of a stored case, the same bytes as the API', async () => {
    for (const format of ['html', 'fhir', 'csv']) {
      const out = join(dir, `cli.${format}`);
      const r = await cli(['report', CASE, '--format', format, '--out', out, '--data', join(dir, 'data')]);
      expect(r.code, r.stderr).toBe(0);
      const api = await call('GET', `/api/cases/${CASE}/report?format=${format}`);
      expect(readFileSync(out).equals(api.bytes), format).toBe(true);
    }
  });

  it('reports a profile file with an explicit date, deterministically', async () => {
    const file = join(dir, 'profile.txt');
    writeFileSync(file, 'BRAF V600E; NRAS Q61K; PTEN deletion');
    // --data: the file's name becomes a pseudonymous ID under that folder's key (not the checkout's ./data).
    const a = await cli(['report', file, '--tumour', 'MEL', '--format', 'fhir', '--date', '2025-01-02', '--data', join(dir, 'data')]);
    const b = await cli(['report', file, '--tumour', 'MEL', '--format', 'fhir', '--date', '2025-01-02', '--data', join(dir, 'data')]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const bundle = JSON.parse(a.stdout);
    expect(validateGenomicsBundle(bundle)).toEqual([]);
    expect(bundle.timestamp).toBe('2025-01-02T00:00:00Z');
  });

  it('exits 2 with a clear message and writes no file for a missing case or an unsupported format', async () => {
    const out = join(dir, 'nothing.html');
    const missing = await cli(['report', 'NO-SUCH-CASE', '--format', 'html', '--out', out, '--data', join(dir, 'data')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no case "NO-SUCH-CASE"/);
    const noStore = await cli(['report', 'NO-SUCH-CASE', '--format', 'html', '--out', out, '--data', join(dir, 'empty')]);
    expect(noStore.code).toBe(2);
    expect(existsSync(join(dir, 'empty'))).toBe(false);
    const bad = await cli(['report', CASE, '--format', 'docx', '--out', out, '--data', join(dir, 'data')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unsupported format "docx"; use one of html, pdf, fhir, csv/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('nothing'))).toEqual([]);
  });

  it.skipIf(!PDF)('writes a PDF of the case', async () => {
    const out = join(dir, 'cli.pdf');
    const r = await cli(['report', CASE, '--format', 'pdf', '--out', out, '--data', join(dir, 'data')]);
    expect(r.code, r.stderr).toBe(0);
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    expect(text).toContain(CASE);
    expect(text).toContain('Thoracic MTB');
  }, 60_000);
});

describe('mtbnet batch --report-dir', () => {
  it('writes one report per profile, named by id, next to the results', async () => {
    const input = join(dir, 'cohort.jsonl');
    const profiles = ['A-1', 'A-2', 'A-3'].map((id, i) => JSON.stringify({ id, tumourType: ['LUAD', 'MEL', 'COADREAD'][i], alterations: [
      [{ gene: 'EGFR', kind: 'mutation', change: 'L858R' }, { gene: 'BRAF', kind: 'mutation', change: 'V600E' }, { gene: 'KRAS', kind: 'mutation', change: 'G12D' }][i],
      { gene: 'TP53', kind: 'mutation', change: 'R273H' },
    ] }));
    writeFileSync(input, `${profiles.join('\n')}\n`);
    const reports = join(dir, 'reports');
    const r = await cli(['batch', '--in', input, '--out', join(dir, 'results.jsonl'), '--report-dir', reports, '--format', 'html', '--date', '2025-03-04']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/3 html report\(s\) -> /);
    expect(readdirSync(reports).sort()).toEqual(['A-1.html', 'A-2.html', 'A-3.html']);
    expect(readFileSync(join(reports, 'A-2.html'), 'utf8')).toContain('BRAF V600E');
    expect(readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('with ranking workers too, pairs each report with its own profile\'s result', async () => {
    const input = join(dir, 'workers.jsonl');
    const genes = [['EGFR', 'L858R', 'LUAD'], ['BRAF', 'V600E', 'MEL'], ['KRAS', 'G12C', 'LUAD']];
    const lines = Array.from({ length: 60 }, (_, i) => {
      const [gene, change, tumourType] = genes[i % 3]!;
      return JSON.stringify({ id: `W-${i}`, tumourType, alterations: [{ gene, kind: 'mutation', change }] });
    });
    writeFileSync(input, `${lines.join('\n')}\n`);
    const reports = join(dir, 'worker-reports');
    const r = await cli(['batch', '--in', input, '--out', join(dir, 'worker-results.jsonl'), '--workers', '2', '--report-dir', reports, '--format', 'html', '--date', '2025-03-04']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(reports)).toHaveLength(60);
    const results = readFileSync(join(dir, 'worker-results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; therapies: Array<{ id: string }> });
    expect(results.map((x) => x.id)).toEqual(Array.from({ length: 60 }, (_, i) => `W-${i}`));
    for (const i of [0, 1, 2, 31, 59]) {
      const html = readFileSync(join(reports, `W-${i}.html`), 'utf8');
      expect(html).toContain(`${genes[i % 3]![0]} ${genes[i % 3]![1]}`);
      expect(html).toContain(results[i]!.therapies[0]!.id);
    }
  }, 60_000);

  it.skipIf(!PDF)('writes PDFs with one Chromium', async () => {
    const input = join(dir, 'cohort.jsonl');
    const reports = join(dir, 'pdfs');
    const r = await cli(['batch', '--in', input, '--report-dir', reports, '--format', 'pdf', '--date', '2025-03-04']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(reports).sort()).toEqual(['A-1.pdf', 'A-2.pdf', 'A-3.pdf']);
    expect(execFileSync('pdftotext', [join(reports, 'A-3.pdf'), '-'], { encoding: 'utf8' })).toContain('A-3');
  }, 120_000);
});

/**
 * Sample names from lab files are replaced by pseudonymous IDs unless the user
 * maps them (issue 10): through the real `mtbnet serve` (its own process, a
 * temp data folder, loopback single-user mode) and the real `mtbnet rank` and
 * `mtbnet batch`. A VCF and a MAF whose samples are named after a patient
 * ("PATIENT_SMITH_1961") are ranked and stored as cases; the name must not be
 * in the ranked result, the stored SQLite file (its bytes, WAL included), the
 * report, the results file or any log line, while the same name gets the same
 * ID every time (also after a restart, and from the CLI: one installation key),
 * the uploader is told which name became which ID, and a user's own mapping
 * is honoured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/cli.ts';

const SMITH = 'PATIENT_SMITH_1961';
const NORMAL = 'PATIENT_SMITH_1961_NORMAL';
const DOE = 'DOE_JANE_MRN4711';
const NAMES = [SMITH, 'SMITH', DOE, 'MRN4711'];
const PSEUDONYM = /^S-[0-9a-f]{12}$/;

const CSQ = 'Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp';
/** A tumour (BRAF V600E, TP53 R273H) and its matched normal, both named after the patient. */
const VCF = [
  '##fileformat=VCFv4.2',
  '##reference=GRCh38',
  `##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. Format: ${CSQ}">`,
  '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
  `#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t${SMITH}\t${NORMAL}`,
  'chr7\t140753336\t.\tA\tT\t.\tPASS\tCSQ=T|missense_variant|MODERATE|BRAF|ENSG00000157764|Transcript|ENST00000288602.11|protein_coding|15/18||ENST00000288602.11:c.1799T>A|ENSP00000288602.7:p.Val600Glu\tGT\t0/1\t0/0',
  'chr17\t7673802\t.\tC\tT\t.\tPASS\tCSQ=T|missense_variant|MODERATE|TP53|ENSG00000141510|Transcript|ENST00000269305.9|protein_coding|8/11||ENST00000269305.9:c.818G>A|ENSP00000269305.4:p.Arg273His\tGT\t0/1\t0/0',
  '',
].join('\n');
const MAF_HEADER = 'Hugo_Symbol\tVariant_Classification\tTumor_Sample_Barcode\tHGVSp_Short';
const MAF_SMITH = `${MAF_HEADER}\nBRAF\tMissense_Mutation\t${SMITH}\tp.V600E\n`;
const MAF_BOTH = `${MAF_HEADER}\nBRAF\tMissense_Mutation\t${SMITH}\tp.V600E\nKRAS\tMissense_Mutation\t${DOE}\tp.G12D\nAPC\tNonsense_Mutation\t${DOE}\tp.R1450*\n`;

const dir = mkdtempSync(join(tmpdir(), 'mtbnet-pseudonyms-'));
const dataDir = join(dir, 'data');
let child: ChildProcess | undefined;
let url = '';
let serverLog = '';

function serve(): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dataDir], {
      cwd: ROOT, env: { ...process.env, NEO4J_URI: '', MTBNET_AUTH: 'local', MTBNET_RANK_LIMIT: '0', MTBNET_WORKERS: '1', MTBNET_PSEUDONYM_KEY_FILE: '' },
    });
    child = c;
    let log = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30_000);
    c.stdout!.on('data', (d) => (serverLog += d));
    c.stderr!.on('data', (d) => {
      log += d;
      serverLog += d;
      const m = /serving (http:\/\/[^\s]+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    c.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
}

async function stop(): Promise<void> {
  const c = child;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((resolve) => c.once('exit', resolve));
  c.kill('SIGTERM');
  await exited;
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* a report */
  }
  return { status: res.status, body: parsed, text };
}

const without = <T extends object>(o: T, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
const expectNoName = (text: string, where: string) => {
  for (const n of NAMES) expect(text.includes(n), `${where} holds "${n}"`).toBe(false);
};

beforeAll(async () => {
  url = await serve();
}, 60_000);
afterAll(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('pseudonymous sample IDs over HTTP, in the store and from the CLI', () => {
  let smithId = '';

  it('ranks a VCF under a pseudonymous ID, and tells only the uploader which sample became which ID', async () => {
    const r = await call('POST', '/api/rank', { text: VCF, filename: `${SMITH}.vcf`, tumourType: 'MEL' });
    expect(r.status).toBe(200);
    smithId = r.body.id;
    expect(smithId).toMatch(PSEUDONYM);
    expect(r.body.alterations.map((a: { key: string }) => a.key)).toEqual(expect.arrayContaining(['BRAF:p.V600E', 'TP53:p.R273H']));
    // The ranked result itself (id, alterations, therapies, warnings) holds no name.
    expectNoName(JSON.stringify(without(r.body, 'sampleIds')), 'the ranked result');
    // The matched normal is named by its pseudonym in the warning; the uploader learns which is which.
    const normal = r.body.sampleIds.find((e: { sample: string }) => e.sample === NORMAL);
    expect(normal.id).toMatch(PSEUDONYM);
    expect(r.body.warnings.join('\n')).toContain(`sample ${normal.id} carries no variant`);
    expect(r.body.sampleIds).toEqual([
      { sample: SMITH, id: smithId, how: 'pseudonym' },
      { sample: NORMAL, id: normal.id, how: 'pseudonym' },
    ]);
    const key = join(dataDir, 'pseudonym.key');
    expect(existsSync(key)).toBe(true);
    expect(statSync(key).mode & 0o777).toBe(0o600);
  });

  it('gives the same name the same ID twice, from a MAF too', async () => {
    const again = await call('POST', '/api/rank', { text: VCF, tumourType: 'MEL' });
    expect(again.body.id).toBe(smithId);
    const maf = await call('POST', '/api/profiles/parse', { text: MAF_SMITH, format: 'maf', tumourType: 'MEL' });
    expect(maf.status).toBe(200);
    expect(maf.body.profile.id).toBe(smithId);
    expect(maf.body.sampleIds).toEqual([{ sample: SMITH, id: smithId, how: 'pseudonym' }]);
    expectNoName(JSON.stringify(maf.body.profile), 'the parsed profile');
  });

  it('honours a mapping the user sends, and refuses a bad one naming the field', async () => {
    const r = await call('POST', '/api/rank', { text: VCF, tumourType: 'MEL', sampleMap: { [SMITH]: 'MTB-2026-017' } });
    expect(r.status).toBe(200);
    expect(r.body.id).toBe('MTB-2026-017');
    expect(r.body.sampleIds[0]).toEqual({ sample: SMITH, id: 'MTB-2026-017', how: 'mapped' });
    expectNoName(JSON.stringify(without(r.body, 'sampleIds')), 'the ranked result');
    const id = await call('POST', '/api/rank', { text: VCF, tumourType: 'MEL', id: 'MTB-2026-018' });
    expect(id.body.id).toBe('MTB-2026-018');

    const bad = await call('POST', '/api/rank', { text: VCF, sampleMap: { [SMITH]: 'not a case id' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).join()).toMatch(/^body\.sampleMap/);
    const twice = await call('POST', '/api/rank', { text: VCF, sampleMap: { [SMITH]: 'MTB-1', [NORMAL]: 'MTB-1' } });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details[0]).toMatchObject({ path: `body.sampleMap.${NORMAL}`, message: expect.stringMatching(/given to two samples/) });
  });

  it('stores cases from a VCF and a MAF under the case id: no sample name in the SQLite file, the report or the log', async () => {
    const vcf = await call('POST', '/api/cases', { id: 'MTB-PRIV-1', tumourType: 'MEL', profile: { text: VCF, format: 'vcf' } });
    expect(vcf.status).toBe(201);
    expect(vcf.body.case.profiles[0].profile.id).toBe('MTB-PRIV-1');
    // The answer (which the audit log keeps) names the matched normal by its pseudonym.
    expect(vcf.body.warnings.join('\n')).toMatch(/sample S-[0-9a-f]{12} carries no variant/);
    expectNoName(vcf.text, 'the case answer');
    const maf = await call('POST', '/api/cases', { id: 'MTB-PRIV-2', tumourType: 'COADREAD', profile: { text: `${MAF_HEADER}\nKRAS\tMissense_Mutation\t${DOE}\tp.G12D\n`, format: 'maf' } });
    expect(maf.status).toBe(201);
    expect(maf.body.case.profiles[0].profile.id).toBe('MTB-PRIV-2');
    const later = await call('POST', '/api/cases/MTB-PRIV-2/profiles', { text: MAF_BOTH.split('\n').filter((l) => !l.includes(SMITH)).join('\n'), format: 'maf', sample: 'relapse' });
    expect(later.status).toBe(201);
    expect(later.body.profile.profile.id).toBe('MTB-PRIV-2');
    expect((await call('POST', '/api/cases/MTB-PRIV-1/rank')).status).toBe(201);
    const report = await call('GET', '/api/cases/MTB-PRIV-1/report?format=html');
    expect(report.status).toBe(200);
    expectNoName(report.text, 'the report');
    const audit = await call('GET', '/api/audit?limit=1000');
    expect(audit.body.entries.filter((e: { target: string }) => e.target === 'MTB-PRIV-1').length).toBeGreaterThanOrEqual(2);

    // Restart: the same key, so the same ID; then read the database's bytes with the server stopped.
    await stop();
    url = await serve();
    expect((await call('POST', '/api/rank', { text: MAF_SMITH, format: 'maf' })).body.id).toBe(smithId);
    await stop();
    const files = ['mtbnet.sqlite', 'mtbnet.sqlite-wal', 'mtbnet.sqlite-shm'].map((f) => join(dataDir, f)).filter(existsSync);
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(bytes.includes('MTB-PRIV-1')).toBe(true); // the file is the store, and holds the cases
    expect(bytes.includes('BRAF:p.V600E')).toBe(true);
    for (const n of NAMES) {
      expect(bytes.includes(Buffer.from(n, 'utf8')), `the SQLite file holds "${n}"`).toBe(false);
      expect(bytes.includes(Buffer.from(n, 'utf16le')), `the SQLite file holds "${n}" (UTF-16)`).toBe(false);
    }
    expectNoName(serverLog, 'the server log');
    url = await serve();
  }, 60_000);

  it('mtbnet rank and batch use the same key, honour --sample-map, and write names only to --sample-ids', async () => {
    const vcfFile = join(dir, `${SMITH}.vcf`);
    writeFileSync(vcfFile, VCF);
    const rank = await runCli(['rank', vcfFile, '--json', '--tumour', 'MEL', '--data', dataDir]);
    expect(rank.code).toBe(0);
    expect(JSON.parse(rank.stdout).id).toBe(smithId);
    expect(rank.stderr).toMatch(/rank: 2 sample names replaced by pseudonymous IDs/);
    expectNoName(rank.stdout + rank.stderr, 'mtbnet rank output');

    const mafFile = join(dir, 'cohort.maf');
    writeFileSync(mafFile, MAF_BOTH);
    const map = join(dir, 'samples.tsv');
    writeFileSync(map, `sample\tcase_id\n${DOE}\tMTB-DOE-7\nNOT_IN_THE_FILE\tMTB-NONE\n`);
    const out = join(dir, 'results.jsonl');
    const ids = join(dir, 'sample-ids.tsv');
    const batch = await runCli(['batch', '--in', mafFile, '--out', out, '--tumour', 'COADREAD', '--data', dataDir, '--sample-map', map, '--sample-ids', ids]);
    expect(batch.code).toBe(0);
    const results = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(results.map((r) => r.id)).toEqual([smithId, 'MTB-DOE-7']);
    expectNoName(readFileSync(out, 'utf8'), 'the batch results');
    expectNoName(batch.stdout + batch.stderr, 'mtbnet batch output');
    expect(batch.stderr).toMatch(/1 sample name replaced by pseudonymous ID; which is which: /);
    expect(batch.stderr).toMatch(/1 entry of the sample map named no sample of the input/);
    expect(readFileSync(ids, 'utf8')).toBe(`sample\tid\thow\n${SMITH}\t${smithId}\tpseudonym\n${DOE}\tMTB-DOE-7\tmapped\n`);
    expect(statSync(ids).mode & 0o777).toBe(0o600);

    const badMap = join(dir, 'bad.tsv');
    writeFileSync(badMap, `${DOE}\tMTB-1\n${SMITH}\tMTB-1\n`);
    const bad = await runCli(['batch', '--in', mafFile, '--out', join(dir, 'bad.jsonl'), '--data', dataDir, '--sample-map', badMap]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 2: case ID "MTB-1" is given to two samples/);
    expect(existsSync(join(dir, 'bad.jsonl'))).toBe(false);
  }, 60_000);
});

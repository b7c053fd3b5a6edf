/**
 * Pseudonymous sample IDs: the naming the readers use, the user's sample map,
 * and the installation key in the data folder (real files in a temp folder).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPseudonymKey, PseudonymKeyError } from '../../../server/security/pseudonym-key.ts';
import { parseSampleMap, SampleNaming } from '../../../server/security/pseudonyms.ts';
import { pseudonymousId } from '../../../server/security/privacy.ts';
import { InvalidInputError } from '../../../server/domain/errors.ts';
import { readProfiles } from '../../../server/profile/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'mtbnet-pseudo-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEY = Buffer.alloc(32, 7);

describe('SampleNaming', () => {
  it('gives a name the keyed pseudonym, the same every time, and a mapped name its case ID', () => {
    let asked = 0;
    const n = new SampleNaming(() => (asked++, KEY), new Map([['LAB-2', 'MTB-9']]));
    expect(n.idFor('PATIENT_SMITH_1961', 'x')).toBe(pseudonymousId('PATIENT_SMITH_1961', KEY));
    expect(n.idFor('PATIENT_SMITH_1961', 'x')).toMatch(/^S-[0-9a-f]{12}$/);
    expect(n.idFor(' LAB-2 ', 'x')).toBe('MTB-9');
    expect(n.idFor('   ', 'fallback')).toBe('fallback');
    expect(n.entries().map((e) => [e.sample, e.how])).toEqual([['PATIENT_SMITH_1961', 'pseudonym'], [' LAB-2 ', 'mapped']]);
    expect(n.pseudonyms).toBe(1);
    expect(n.unused()).toBe(0);
    expect(asked).toBe(1);
    expect(new SampleNaming(() => Buffer.alloc(32, 8)).idFor('PATIENT_SMITH_1961')).not.toBe(n.idFor('PATIENT_SMITH_1961'));
  });

  it('asks for the key only when a name needs a pseudonym', async () => {
    const n = new SampleNaming(() => {
      throw new Error('no key needed here');
    });
    const results = [];
    for await (const r of readProfiles({ text: 'EGFR L858R' }, { sampleId: n.idFor })) results.push(r);
    expect(results[0]!.profile.id).toBe('profile');
    expect(n.entries()).toEqual([]);
  });

  it('reaches every reader that names profiles after samples: MAF, VCF, copy-number and fusion tables', async () => {
    const n = new SampleNaming(() => KEY);
    const ids = async (text: string, filename: string) => {
      const out: string[] = [];
      for await (const r of readProfiles({ text, filename }, { sampleId: n.idFor })) out.push(r.profile.id);
      return out;
    };
    const p = (s: string) => pseudonymousId(s, KEY);
    expect(await ids('Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nKRAS\tPT_A\tp.G12D\n', 'x.maf')).toEqual([p('PT_A')]);
    expect(await ids('sample\tgene\tcall\nPT_B\tERBB2\tAMP\n', 'x.cnv.tsv')).toEqual([p('PT_B')]);
    expect(await ids('sample\tgene1\tgene2\nPT_C\tEML4\tALK\n', 'x.fusions.tsv')).toEqual([p('PT_C')]);
    expect(await ids('gene\tcall\nERBB2\tAMP\n', 'SMITH_JOHN.cnv.tsv')).toEqual([p('SMITH_JOHN.cnv')]);
    const vcf = '##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPT_D\nchr1\t1\t.\tA\tT\t.\tPASS\t.\tGT\t0/1\n';
    expect(await ids(vcf, 'x.vcf')).toEqual([p('PT_D')]);
    // Without the option the readers keep the name (their own tests rely on it).
    const plain: string[] = [];
    for await (const r of readProfiles({ text: 'Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nKRAS\tPT_A\tp.G12D\n', filename: 'x.maf' })) plain.push(r.profile.id);
    expect(plain).toEqual(['PT_A']);
  });
});

describe('sample map files', () => {
  it('reads tab- or comma-separated pairs with an optional header, comments and blank lines', () => {
    const m = parseSampleMap('# lab -> board\nsample\tcase_id\nPT_A\tMTB-1\n\nPT_B,MTB-2\n"PT C","MTB-3"\n', 'map.tsv');
    expect([...m]).toEqual([['PT_A', 'MTB-1'], ['PT_B', 'MTB-2'], ['PT C', 'MTB-3']]);
  });

  it.each([
    ['a bad case ID', 'PT_A\tnot an id\n', 1, /"not an id" is not a case ID/],
    ['one column', 'PT_A\n', 1, /expected two columns/],
    ['a sample mapped twice', 'PT_A\tMTB-1\nPT_A\tMTB-2\n', 2, /mapped twice/],
    ['one ID for two samples', 'PT_A\tMTB-1\nPT_B\tMTB-1\n', 2, /given to two samples/],
  ])('refuses %s, naming the file and line', (_what, text, line, message) => {
    try {
      parseSampleMap(text, 'map.tsv');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).details[0]).toMatchObject({ path: 'map.tsv', line, message: expect.stringMatching(message) });
    }
  });
});

describe('the installation key', () => {
  it('is created on first use, owner-only, and the same afterwards', () => {
    const data = join(dir, 'fresh', 'data');
    const a = loadPseudonymKey({ dataDir: data, env: {} });
    expect(a.length).toBe(32);
    expect(statSync(join(data, 'pseudonym.key')).mode & 0o777).toBe(0o600);
    expect(loadPseudonymKey({ dataDir: data, env: {} }).equals(a)).toBe(true);
    expect(readFileSync(join(data, 'pseudonym.key'), 'utf8')).toBe(`${a.toString('hex')}\n`);
  });

  it('is one key when several processes start at once', async () => {
    const data = join(dir, 'race');
    const { spawn } = await import('node:child_process');
    const script = `import { loadPseudonymKey } from ${JSON.stringify(new URL('../../../server/security/pseudonym-key.ts', import.meta.url).pathname)}; process.stdout.write(loadPseudonymKey({ dataDir: ${JSON.stringify(data)}, env: {} }).toString('hex'));`;
    const run = () => new Promise<string>((resolve, reject) => {
      const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: new URL('../../..', import.meta.url).pathname });
      let out = '';
      let err = '';
      c.stdout.on('data', (d) => (out += d));
      c.stderr.on('data', (d) => (err += d));
      c.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
    });
    const keys = await Promise.all([run(), run(), run(), run()]);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
  }, 30_000);

  it('refuses a file that holds no key, and a configured key file that is missing', () => {
    const bad = join(dir, 'bad');
    rmSync(bad, { recursive: true, force: true });
    loadPseudonymKey({ dataDir: bad, env: {} });
    writeFileSync(join(bad, 'pseudonym.key'), 'not a key\n');
    expect(() => loadPseudonymKey({ dataDir: bad, env: {} })).toThrow(/does not hold a pseudonymisation key/);
    const missing = join(dir, 'nowhere', 'shared.key');
    expect(() => loadPseudonymKey({ env: { MTBNET_PSEUDONYM_KEY_FILE: missing } })).toThrow(PseudonymKeyError);
    expect(() => loadPseudonymKey({ env: { MTBNET_PSEUDONYM_KEY_FILE: missing } })).toThrow(/no pseudonymisation key at/);
    const shared = join(dir, 'shared.key');
    writeFileSync(shared, `${'ab'.repeat(32)}\n`);
    expect(loadPseudonymKey({ env: { MTBNET_PSEUDONYM_KEY_FILE: shared } }).toString('hex')).toBe('ab'.repeat(32));
  });
});

/**
 * The files labs send, from the public releases in ../shared/data, through the
 * real `mtbnet` command. Skipped (with a message) where that folder is absent.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.ts';

const DATA = join(ROOT, '../shared/data');
const have = existsSync(DATA);
// Sample names become pseudonymous IDs keyed by the data folder's key: a temp folder, not the checkout's ./data.
const env = { MTBNET_DATA_DIR: mkdtempSync(join(tmpdir(), 'mtbnet-real-files-data-')) };
if (!have) console.warn(`real-files tests: ${DATA} is absent; skipped`);

describe.skipIf(!have)('real files from public releases', () => {
  it('ranks the raw PCGR COAD VCF (GRCh37), placing BRAF V600E by coordinates', async () => {
    const r = await runCli(['rank', join(DATA, 'pcgr/T001-COAD.grch37.vcf.gz'), '--tumour', 'COADREAD', '--json'], undefined, env);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.alterations.map((a: { key: string }) => a.key)).toContain('BRAF:p.V600E');
    expect(result.warnings.join('\n')).toMatch(/1 placed on knowledge-base variants by coordinates \(GRCh37\)/);
    expect(result.therapies[0].drugs).toEqual(['cetuximab', 'encorafenib']);
  });

  it('batch-ranks the TCGA LAML MAF (gzip) into one result per sample', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mtbnet-laml-')), 'laml.jsonl');
    const r = await runCli(['batch', '--in', join(DATA, 'maftools/tcga_laml.maf.gz'), '--out', out, '--tumour', 'AML'], undefined, env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/193 profile\(s\) ranked, 0 skipped; \d+ alteration\(s\) read/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(193);
    const flt3 = lines.map((l) => JSON.parse(l)).filter((x) => x.alterations.some((a: { gene: string }) => a.gene === 'FLT3'));
    expect(flt3.length).toBeGreaterThan(0);
  });
});

/**
 * The public files in ../shared/data (DESIGN §7), read from there, never copied.
 * Skipped with a message when that folder is absent.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSampleTumourTypes } from '../../../server/profile/maf.ts';
import { HAVE_SHARED, SHARED, keys, readAll, readError } from './helpers.ts';
import { readFileSync } from 'node:fs';

describe.skipIf(!HAVE_SHARED)(`public data in ${SHARED}`, () => {
  it('TCGA LAML MAF (gzip): 193 samples, one AML profile each', async () => {
    const t0 = performance.now();
    const results = await readAll(join(SHARED, 'maftools/tcga_laml.maf.gz'), { tumourType: 'AML' });
    const ms = performance.now() - t0;
    expect(results).toHaveLength(193);
    expect(results.every((r) => r.profile.tumourType === 'AML' && !r.error)).toBe(true);
    const all = results.flatMap((r) => keys(r));
    expect(all).toContain('NPM1:p.W288fs');
    expect(all).toContain('DNMT3A:p.R882H');
    expect(all.some((k) => k.startsWith('FLT3:p.'))).toBe(true);
    expect(all.length).toBeGreaterThan(1500);
    expect(ms).toBeLessThan(10_000);
  });
  it('TCGA LAML MAF with the annotation side file gives the same 193 samples', async () => {
    const annot = readFileSync(join(SHARED, 'maftools/tcga_laml_annot.tsv'), 'utf8');
    const ids = [...annot.matchAll(/^(TCGA-\S+)/gm)].map((m) => `${m[1]}\tAML`).join('\n');
    const map = parseSampleTumourTypes(`sample\toncotree\n${ids}\n`);
    const results = await readAll(join(SHARED, 'maftools/tcga_laml.maf.gz'), { sampleTumourTypes: map });
    expect(results.filter((r) => r.profile.tumourType === 'AML').length).toBeGreaterThan(150);
  });
  it('BRCA MAF without protein changes: read, and says the records could not be used', async () => {
    const [r] = await readAll(join(SHARED, 'maftools/brca.maf.gz'));
    expect(r!.warnings.map((w) => w.message).join('\n')).toMatch(/no protein-change column/);
  });
  it.each(['T001-COAD.grch37.vcf.gz', 'T001-COAD.grch38.vcf.gz', 'T001-BRCA.grch37.vcf.gz', 'T001-BRCA.grch38.vcf.gz'])(
    'PCGR raw VCF %s: build detected, every record counted as unannotated, the locate seam sees them all',
    async (name) => {
      let calls = 0;
      const [r] = await readAll(join(SHARED, 'pcgr', name), { locate: () => (calls++, undefined) });
      expect(r!.build).toBe(name.includes('grch37') ? 'GRCh37' : 'GRCh38');
      expect(r!.stats!.unannotated).toBe(r!.stats!.records);
      expect(calls).toBe(r!.stats!.records);
      expect(r!.warnings.map((w) => w.message).join('\n')).toMatch(/no VEP CSQ or snpEff ANN annotation/);
    },
  );
  it('PCGR fusion table', async () => {
    const [r] = await readAll(join(SHARED, 'pcgr/T001-COAD.grch38.fusions.tsv'), { tumourType: 'COADREAD' });
    expect(keys(r!)).toEqual(expect.arrayContaining(['EML4::ALK', 'CCDC6::RET', 'KIAA1549::BRAF', 'TMPRSS2::ERG', 'BCR::ABL1']));
  });
  it('PCGR copy-number segments: refused without gene coordinates, read with them', async () => {
    const file = join(SHARED, 'pcgr/T001-COAD.grch38.cna.tsv');
    const e = await readError(file);
    expect(e.details[0]!.message).toMatch(/segments/);
    const [r] = await readAll(file, {
      // ERBB2 on GRCh38 (chr17:39,687,914-39,730,426)
      locateGenes: (chrom, start, end) => (chrom === '17' && start <= 39730426 && end >= 39687914 ? ['ERBB2'] : []),
    });
    expect(keys(r!)).toEqual(['ERBB2:amp']);
  });
});

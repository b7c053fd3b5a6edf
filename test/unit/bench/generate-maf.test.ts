/** The cohort generator's command line: a seeded MAF, and clear errors for arguments it does not know. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '../../../scripts/bench/generate-maf.ts');
/** tsx's loader by its full path: the runs below start in a temporary folder, where `tsx` alone does not resolve. */
const TSX = import.meta.resolve('tsx');
const dir = mkdtempSync(join(tmpdir(), 'mtbnet-genmaf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', TSX, SCRIPT, ...args], { cwd: dir, encoding: 'utf8' });

describe('generate-maf command line', () => {
  it('writes the same cohort for the same seed, another for another', () => {
    const gen = (name: string, seed: string) => {
      execFileSync(process.execPath, ['--import', TSX, SCRIPT, '--samples', '30', '--seed', seed, '--out', join(dir, name)], { stdio: 'pipe' });
      return readFileSync(join(dir, name), 'utf8');
    };
    const a = gen('a.maf', '7');
    expect(gen('b.maf', '7')).toBe(a);
    expect(gen('c.maf', '8')).not.toBe(a);
    const rows = a.trim().split('\n');
    expect(rows[0]).toMatch(/^Hugo_Symbol\t/);
    expect(new Set(rows.slice(1).map((r) => r.split('\t')[4])).size).toBe(30);
  });

  it('rejects an unknown option or a bad count with the usage, and writes nothing', () => {
    for (const args of [['--help-me'], ['--samples', '0'], ['--samples', 'x']]) {
      const r = run(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/usage: npx tsx scripts\/bench\/generate-maf\.ts/);
    }
    expect(run('--help').stdout).toMatch(/--samples N/);
    // Nothing but the first test's cohorts: no file named after an option, no default cohort.maf.
    expect(readdirSync(dir).filter((f) => !['a.maf', 'b.maf', 'c.maf'].includes(f))).toEqual([]);
  });
});

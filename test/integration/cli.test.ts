import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RankResult } from '../../server/domain/result.ts';
import { BIN, ROOT, runCli } from '../helpers/cli.ts';
import { directWritesWork } from '../helpers/direct-io.ts';
import { generateMaf } from '../../scripts/bench/generate-maf.ts';

/** Is util-linux's fincore here (it counts a file's pages in the page cache)? */
function hasFincore(): boolean {
  try {
    execFileSync('fincore', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const L858R = '{"id":"a","tumourType":"LUAD","alterations":[{"gene":"EGFR","kind":"mutation","change":"L858R"}]}';

describe('mtbnet rank', () => {
  it('ranks a JSON profile from stdin and prints the DESIGN §5 result', async () => {
    const r = await runCli(['rank', '-', '--json'], L858R);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = RankResult.parse(JSON.parse(r.stdout));
    expect(result.id).toBe('a');
    expect(result.therapies[0]!.class).toBe('on-label');
    expect(result.therapies[0]!.evidence.flatMap((e) => e.sources).some((s) => 'pmid' in s)).toBe(true);
  });

  it('ranks the text form with --tumour and prints a readable table', async () => {
    const r = await runCli(['rank', '-', '--tumour', 'LUAD'], 'EGFR L858R; EGFR T790M');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/osimertinib/);
    expect(r.stdout).toMatch(/not-recommended/);
  });

  it.each([
    ['bad JSON', '{"id":"a","alterations":[', /JSON|line 1/i],
    ['an unknown kind', '{"alterations":[{"gene":"EGFR","kind":"mutant","change":"L858R"}]}', /alterations\.0\.kind/],
    ['a missing gene', '{"alterations":[{"kind":"mutation","change":"L858R"}]}', /alterations\.0\.gene/],
    ['a bad protein change', '{"alterations":[{"gene":"EGFR","kind":"mutation","change":"L858"}]}', /alterations\.0\.change/],
  ])('rejects %s with exit code 2 naming the field', async (_name, input, message) => {
    const r = await runCli(['rank', '-', '--json'], input);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('names a missing file and exits 2', async () => {
    const r = await runCli(['rank', '/nonexistent/profile.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read \/nonexistent\/profile\.json: no such file/);
  });

  it('rejects an unknown command with usage and exit code 2', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });
});

describe('mtbnet batch', () => {
  it('ranks 1,000 profiles, one result line per profile with the same id, and skips a bad line by number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtbnet-batch-'));
    const genes = ['EGFR L858R', 'KRAS G12C', 'BRAF V600E', 'ERBB2 amplification', 'EML4::ALK', 'MSI-H'];
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++) {
      lines.push(JSON.stringify({ id: `p${i}`, tumourType: i % 2 ? 'LUAD' : 'COADREAD', alterations: [
        { gene: 'EGFR', kind: 'mutation', change: 'L858R' },
        { gene: 'KRAS', kind: 'mutation', change: i % 3 ? 'G12C' : 'G12D' },
      ] }));
      if (i === 500) lines.push('{"id": "broken", "alterations": [');
    }
    void genes;
    const input = join(dir, 'in.jsonl');
    const output = join(dir, 'out.jsonl');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const r = await runCli(['batch', '--in', input, '--out', output]);
    // Finished, but not whole: a script or scheduler sees it.
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/batch: exit status 3: 1 line\(s\) skipped \(named above\); the other profiles were ranked and written/);
    expect(r.stderr).toMatch(/line 502/);
    expect(r.stderr).toMatch(/1000 profile\(s\) ranked, 1 skipped/);
    const out = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(1000);
    expect(out.map((x) => x.id)).toEqual(Array.from({ length: 1000 }, (_, i) => `p${i}`));
  });

  it('--check reads and counts every profile, names the bad line, ranks and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtbnet-batch-check-'));
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, [L858R, '{"id":"b","alterations":[{"gene":"EGFR","kind":"mutant"}]}', L858R.replace('"a"', '"c"')].join('\n'));
    const r = await runCli(['batch', '--in', input, '--check']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/exit status 3: 1 line\(s\) skipped \(named above\); mend them before the run/);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/line 2: .*alterations\.0\.kind/);
    expect(r.stderr).toMatch(/2 profile\(s\) read \(checked, none ranked\), 1 skipped/);
    expect(readdirSync(dir)).toEqual(['in.jsonl']);
    const both = await runCli(['batch', '--in', input, '--check', '--out', join(dir, 'out.jsonl')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--check reads only/);
    expect(readdirSync(dir)).toEqual(['in.jsonl']);
  });

  it("prints the readers' warnings once each and counts profiles with no alteration; a bad --tumour stops it before reading", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtbnet-batch-warn-'));
    const vcf = join(dir, 'tumour.vcf');
    writeFileSync(vcf, '##fileformat=VCFv4.2\n##contig=<ID=1,length=249250621>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tT1\n1\t1000\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n');
    const r = await runCli(['batch', '--in', vcf, '--out', join(dir, 'out.jsonl'), '--tumour', 'BRCA']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/batch: S-[0-9a-f]{12}: this VCF carries no VEP CSQ or snpEff ANN annotation: annotate it/);
    expect(r.stderr).toMatch(/batch: \d+ reader warning\(s\), \d+ distinct, each shown once above/);
    expect(r.stderr).toMatch(/batch: 1 profile\(s\) with no alteration: their results rank nothing/);
    const bad = await runCli(['batch', '--in', vcf, '--out', join(dir, 'bad.jsonl'), '--tumour', 'lung cancer']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--tumour: "lung cancer" is not an OncoTree code/);
    expect(readdirSync(dir).sort()).toEqual(['out.jsonl', 'tumour.vcf']);
  });

  it('writes the results beside --out and renames them once complete: a run that stops leaves no truncated file under that name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtbnet-batch-partial-'));
    const lines = Array.from({ length: 3000 }, (_, i) => L858R.replace('"a"', `"p${i}"`)).join('\n');
    const whole = gzipSync(lines);
    writeFileSync(join(dir, 'cut.jsonl.gz'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    for (const workers of ['0', '1']) {
      const out = join(dir, `out-${workers}.jsonl`);
      // an earlier run's results go at once: a failed run must not leave them looking like its own
      writeFileSync(out, '{"id":"from an earlier run"}\n');
      const r = await runCli(['batch', '--in', join(dir, 'cut.jsonl.gz'), '--out', out, '--workers', workers]);
      expect(r.code, r.stderr).not.toBe(0);
      expect(r.stderr).toMatch(new RegExp(`the results ranked before it are in ${out}\\.partial-\\d+ \\(${out} is not written\\)`));
      expect(existsSync(out)).toBe(false);
      // Removed, not only renamed aside (the file itself goes on a libuv thread while the run reads).
      expect(readdirSync(dir).filter((f) => f.includes('.old-'))).toEqual([]);
    }
    writeFileSync(join(dir, 'in.jsonl'), lines);
    // A successful run replaces an earlier run's results and leaves nothing else beside them.
    writeFileSync(join(dir, 'ok.jsonl'), '{"id":"from an earlier run"}\n');
    const ok = await runCli(['batch', '--in', join(dir, 'in.jsonl'), '--out', join(dir, 'ok.jsonl')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(dir, 'ok.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3000);
    expect(readdirSync(dir).filter((f) => f.startsWith('ok.jsonl'))).toEqual(['ok.jsonl']);
    // Earlier results a killed run set aside go with the next run; those of a run still going (here the test
    // runner's own process id), and files of other names, stay.
    const killed = 'ok.jsonl.old-4194305'; // above Linux's largest process id: no such process
    const live = `ok.jsonl.old-${process.pid}`;
    for (const f of [killed, live, 'ok.jsonl.old-notes']) writeFileSync(join(dir, f), '{"id":"from an earlier run"}\n');
    const again = await runCli(['batch', '--in', join(dir, 'in.jsonl'), '--out', join(dir, 'ok.jsonl')]);
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('ok.jsonl')).sort()).toEqual(['ok.jsonl', live, 'ok.jsonl.old-notes'].sort());
    const same = await runCli(['batch', '--in', join(dir, 'in.jsonl'), '--out', join(dir, 'in.jsonl')]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/--out names the input file/);
    expect(readFileSync(join(dir, 'in.jsonl'), 'utf8')).toBe(lines);
  });

  it('stops with a clear error when the results cannot be written (a full disk), in-process and on worker threads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtbnet-batch-full-'));
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, Array.from({ length: 2000 }, (_, i) => L858R.replace('"a"', `"p${i}"`)).join('\n'));
    for (const workers of ['0', '1']) {
      // /dev/full opens, and every write to it fails with ENOSPC.
      const r = await runCli(['batch', '--in', input, '--out', '/dev/full', '--workers', workers]);
      expect(r.code, workers).toBe(1);
      expect(r.stderr, workers).toMatch(/batch: cannot write \/dev\/full: ENOSPC/);
      expect(r.stderr, workers).toMatch(/free space on its disk or choose another --out/);
      expect(r.stderr, workers).not.toMatch(/internal error|Unhandled|at .*\.ts:\d+/);
    }
  });

  it('writes the same results around the page cache as through it (MTBNET_DIRECT_IO=0), and as ranking in-process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtbnet-batch-direct-'));
    const maf = join(dir, 'cohort.maf');
    // About 11 MB of results: several of the direct writer's 4 MB slots, and a last block to cut.
    await generateMaf(maf, 300, 5);
    const runs: Array<{ name: string; args: string[]; env: Record<string, string> }> = [
      { name: 'direct.jsonl', args: ['--workers', '1'], env: { MTBNET_DIRECT_IO: '1' } },
      { name: 'buffered.jsonl', args: ['--workers', '1'], env: { MTBNET_DIRECT_IO: '0' } },
      { name: 'in-process.jsonl', args: ['--workers', '0'], env: {} },
    ];
    for (const run of runs) {
      const r = await runCli(['batch', '--in', maf, '--out', join(dir, run.name), ...run.args], undefined, run.env);
      expect(r.code, r.stderr).toBe(0);
    }
    // Written around the page cache where the file system takes direct writes: almost none of it is cached
    // (util-linux's fincore counts the file's pages in memory; asked before anything reads the file).
    const resident = (f: string) => Number(execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', f], { encoding: 'utf8' }).trim());
    const size = statSync(join(dir, 'direct.jsonl')).size;
    expect(size).toBeGreaterThan(8 << 20);
    if (directWritesWork(dir) && hasFincore()) expect(resident(join(dir, 'direct.jsonl'))).toBeLessThan(size / 10);
    const [direct, buffered, inProcess] = runs.map((run) => readFileSync(join(dir, run.name)));
    expect(direct!.equals(buffered!)).toBe(true);
    expect(direct!.equals(inProcess!)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['buffered.jsonl', 'cohort.maf', 'direct.jsonl', 'in-process.jsonl']);

    // A write refused half-way (the file-size limit here, as a full disk would): the run fails with the error, and
    // the partial file holds the results written before it, a prefix of the whole with no gap and no padding.
    for (const setting of ['1', '0']) {
      const out = join(dir, `limited-${setting}.jsonl`);
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        // 6,000 KiB: past the first 4 MB slot, within the second. SIGXFSZ ignored, so the write fails with EFBIG.
        const child = spawn('bash', ['-c', 'trap "" XFSZ; ulimit -f 6000; exec "$0" "$@"', process.execPath, BIN, 'batch', '--in', maf, '--out', out, '--workers', '1'], {
          cwd: ROOT,
          env: { ...process.env, MTBNET_DIRECT_IO: setting },
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/batch: cannot write .*limited-\d\.jsonl: EFBIG/);
      const partial = readdirSync(dir).filter((f) => f.startsWith(`limited-${setting}.jsonl.partial-`));
      expect(partial, r.stderr).toHaveLength(1);
      expect(r.stderr).toContain(`the results written before the error are in ${out}.partial-`);
      const kept = readFileSync(join(dir, partial[0]!));
      expect(kept.length, setting).toBeGreaterThan(4 << 20);
      expect(kept.length, setting).toBeLessThanOrEqual(6000 * 1024);
      expect(kept.equals(direct!.subarray(0, kept.length)), setting).toBe(true);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('shows progress at the asked pace, and goes on while the ranking threads catch up after the reading', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtbnet-batch-progress-'));
    const maf = join(dir, 'cohort.maf');
    await generateMaf(maf, 3000, 11);
    const r = await runCli(['batch', '--in', maf, '--out', join(dir, 'out.jsonl'), '--workers', '2', '--progress', '0.02']);
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => /profiles\/s\)$/.test(l));
    expect(lines.length).toBeGreaterThan(2);
    // The last line: everything ranked.
    expect(lines[lines.length - 1]).toMatch(/^batch: 3000 read, 0 skipped, \d+ records \(\d+ profiles\/s\)$/);
    expect(r.stderr).toMatch(/3000 profile\(s\) ranked, 0 skipped/);
    const bad = await runCli(['batch', '--in', maf, '--out', join(dir, 'x.jsonl'), '--progress', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--progress must be seconds between progress lines, from 0\.01/);
    for (const v of ['0x10', '1e-9', ' 5', '-1']) expect((await runCli(['batch', '--in', maf, '--out', join(dir, 'x.jsonl'), '--progress', v])).code, v).toBe(2);
    // While queued profiles are ranked after the reading: "N read, M ranked", M below N and growing, N all of them.
    // On two cores one of the two workers is held until the reading ends (pool.ts), so ranking is certain to lag
    // behind it; with more cores both rank while reading and may keep up, and only the pace is checked.
    if (availableParallelism() > 2) return;
    const draining = lines.map((l) => /^batch: (\d+) read, (\d+) ranked, 0 skipped, \d+ records \(\d+ profiles\/s\)$/.exec(l)).filter((m) => m !== null);
    expect(draining.length).toBeGreaterThan(0);
    const ranked = draining.map((m) => Number(m[2]));
    for (const m of draining) expect(Number(m[2])).toBeLessThan(Number(m[1]));
    expect(ranked).toEqual([...ranked].sort((a, b) => a - b));
    expect(Number(draining[draining.length - 1]![1])).toBe(3000);
  });

  it('explains a missing input file', async () => {
    const r = await runCli(['batch', '--in', '/nonexistent.jsonl', '--out', join(tmpdir(), 'x.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read \/nonexistent\.jsonl/);
  });
});

describe('mtbnet evidence check', () => {
  it('validates the shipped knowledge base and prints counts as JSON', async () => {
    const r = await runCli(['evidence', 'check', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.invalid).toBe(0);
    expect(report.evidence).toBeGreaterThanOrEqual(60);
  });

  it('exits 2 naming file, item and field of an invalid entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtbnet-kb-'));
    const { cpSync } = await import('node:fs');
    const { DEFAULT_EVIDENCE_DIR } = await import('../../server/evidence/load.ts');
    cpSync(DEFAULT_EVIDENCE_DIR, dir, { recursive: true });
    const f = join(dir, 'genes/EGFR.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('direction: resistance', 'direction: sideways'));
    const r = await runCli(['evidence', 'check', '--evidence', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/genes\/EGFR\.yaml item \S+: direction/);
  });
});

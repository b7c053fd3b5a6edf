/**
 * Reading a chosen or dropped file in the intake (client/src/Intake.tsx readFileText), with the stream APIs a
 * browser has (Node has them too): BGZF, the usual form of a clinical .vcf.gz, is a series of gzip members that a
 * browser's DecompressionStream refuses after the first, so the reader splits it by the sizes its blocks state.
 */
import { readFileSync } from 'node:fs';
import { gzipSync, gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bgzfBlocks, readFileText } from '../../../client/src/Intake.tsx';
import { bgzf } from '../../helpers/bgzf.ts';
import { ROOT } from '../../helpers/cli.ts';

const vcf = readFileSync(join(ROOT, 'test/fixtures/profile/vep-csq.vcf'), 'utf8');
const file = (bytes: Uint8Array | string, name: string) => new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name);

describe('readFileText', () => {
  it('reads a BGZF file of many blocks whole, as zlib does', async () => {
    const bytes = bgzf(vcf, 97);
    expect(gunzipSync(bytes).toString()).toBe(vcf); // the test's BGZF is real gzip
    const blocks = bgzfBlocks(new Uint8Array(bytes));
    expect(blocks!.length).toBe(Math.ceil(Buffer.byteLength(vcf) / 97) + 1); // and the end-of-file block
    await expect(readFileText(file(bytes, 'tumour.vcf.gz'))).resolves.toBe(vcf);
  });

  it('reads a gzip file of one member, and plain text', async () => {
    expect(bgzfBlocks(new Uint8Array(gzipSync(vcf)))).toBeUndefined();
    await expect(readFileText(file(gzipSync(vcf), 'tumour.vcf.gz'))).resolves.toBe(vcf);
    await expect(readFileText(file(vcf, 'tumour.vcf'))).resolves.toBe(vcf);
  });

  it('refuses a BGZF file cut after a whole block (it would unpack, only shorter), saying so', async () => {
    const whole = bgzf(vcf, 97);
    const blocks = bgzfBlocks(new Uint8Array(whole))!;
    for (const kept of [5, blocks.length - 1]) {
      const cut = Buffer.concat(blocks.slice(0, kept));
      await expect(readFileText(file(cut, 'tumour.vcf.gz'))).rejects.toThrow(
        /^tumour\.vcf\.gz is incomplete: it ends without the end-of-file block that bgzip writes, so it was cut short .*download or copy it again$/,
      );
    }
  });

  it('refuses a damaged gzip file, or a binary one, saying what to do', async () => {
    const cut = bgzf(vcf, 97).subarray(0, 150);
    await expect(readFileText(file(cut, 'tumour.vcf.gz'))).rejects.toThrow(/tumour\.vcf\.gz could not be unpacked .*check that it is a gzip file, or unpack it first/);
    await expect(readFileText(file(Buffer.from([1, 0, 2, 0]), 'x.vcf'))).rejects.toThrow(/x\.vcf is not a text file/);
  });
});

/**
 * A batch's results file written around the page cache (server/batch/direct-file.ts): every byte, in order, and the
 * file cut to its true length, written directly where the file system allows it and the ordinary way where the
 * kernel refuses, on a real file in a real folder.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { directIoDisabled, openDirectFile, type ResultsFile } from '../../../server/batch/direct-file.ts';
import { directWritesWork, misalignedRefused } from '../../helpers/direct-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'mtbnet-direct-'));
const SLOT = 4 << 20;
const direct = directWritesWork(dir);
// The tests ask for direct writes whatever the environment running them says.
const setting = process.env.MTBNET_DIRECT_IO;
beforeAll(() => {
  delete process.env.MTBNET_DIRECT_IO;
});
afterAll(() => {
  if (setting !== undefined) process.env.MTBNET_DIRECT_IO = setting;
  rmSync(dir, { recursive: true, force: true });
});

/** Bytes that tell their place: a different value at each offset of every chunk. */
function chunk(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7 + (i >> 12)) & 0xff;
  return b;
}

/** Write the chunks one after another (each awaited, as the batch does), close, and read the file back. */
async function writeAll(file: ResultsFile, chunks: Uint8Array[]): Promise<void> {
  for (const c of chunks) {
    await file.write(c);
    // The caller's buffer is its own again once the write settles: scribbling on it changes nothing written.
    c.fill(0xee);
  }
  await file.close();
}
const concat = (chunks: Uint8Array[]) => Buffer.concat(chunks.map((c) => Buffer.from(c)));

describe('results written around the page cache', () => {
  it.skipIf(!direct)('writes every byte in order and cuts the file to its length: chunks across both slots, larger than one, empty', async () => {
    const sizes = [0, 1, 4095, 4096, 700_000, SLOT - 704_192, 9 * 1024 * 1024 + 17, 0, 13, SLOT, 2 * SLOT - 1, 333];
    const chunks = sizes.map((n, i) => chunk(n, i));
    const expected = concat(chunks);
    const path = join(dir, 'mixed.jsonl');
    const file = openDirectFile(path)!;
    await writeAll(file, chunks);
    expect(file.direct).toBe(true);
    expect(file.bytes).toBe(expected.length);
    expect(statSync(path).size).toBe(expected.length);
    expect(readFileSync(path).equals(expected)).toBe(true);
  });

  it.skipIf(!direct)('any sequence of chunk sizes gives the same file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3 * 1024 * 1024 }), { maxLength: 8 }), async (sizes) => {
        const chunks = sizes.map((n, i) => chunk(n, i + 1));
        const expected = concat(chunks);
        const path = join(dir, 'property.jsonl');
        const file = openDirectFile(path)!;
        await writeAll(file, chunks);
        expect(statSync(path).size).toBe(expected.length);
        expect(readFileSync(path).equals(expected)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it.skipIf(!direct)('ends on a block or a slot exactly, or holds nothing', async () => {
    for (const n of [0, 4096, 8192, SLOT, SLOT + 1, 2 * SLOT, 3 * SLOT - 4096]) {
      const path = join(dir, `exact-${n}.jsonl`);
      const c = chunk(n, 5);
      const expected = Buffer.from(c);
      const file = openDirectFile(path)!;
      await writeAll(file, [c]);
      expect(statSync(path).size, String(n)).toBe(n);
      expect(readFileSync(path).equals(expected), String(n)).toBe(true);
    }
  });

  it.skipIf(!misalignedRefused(dir))('falls back to ordinary writes when the kernel refuses a direct one, losing nothing (a small file and a large one)', async () => {
    for (const sizes of [[10, 5000, 3], [3_000_000, 3_000_000, 7, 5_000_000]]) {
      const chunks = sizes.map((n, i) => chunk(n, i + 9));
      const expected = concat(chunks);
      const path = join(dir, `fallback-${sizes.length}.jsonl`);
      // An odd address: no device takes a direct write from it, so the first one is refused (EINVAL).
      const file = openDirectFile(path, { misalign: 1 })!;
      await writeAll(file, chunks);
      expect(file.direct).toBe(false);
      expect(statSync(path).size).toBe(expected.length);
      expect(readFileSync(path).equals(expected)).toBe(true);
    }
  });

  it.skipIf(!direct)('empties a file that was there, and refuses bytes once closed', async () => {
    const path = join(dir, 'earlier.jsonl');
    const earlier = openSync(path, 'w');
    writeSync(earlier, 'x'.repeat(10_000));
    closeSync(earlier);
    const file = openDirectFile(path)!;
    await writeAll(file, [chunk(100, 1)]);
    expect(statSync(path).size).toBe(100);
    await expect(file.write(chunk(1, 1))).rejects.toThrow(/written after it was closed/);
  });

  it.skipIf(!direct)('closed while a write is under way (a run failing elsewhere), it writes that write first; closed twice, once', async () => {
    const path = join(dir, 'closing.jsonl');
    const file = openDirectFile(path)!;
    const big = chunk(SLOT + 3_000_000, 3);
    const expected = Buffer.from(big);
    await file.write(chunk(SLOT - 1000, 2));
    const before = Buffer.from(chunk(SLOT - 1000, 2));
    // Not awaited: the write fills a slot and waits for the other's write while close() is called.
    const writing = file.write(big);
    const closing = file.close();
    expect(file.close()).toBe(closing);
    await writing;
    await closing;
    expect(readFileSync(path).equals(Buffer.concat([before, expected]))).toBe(true);
  });

  it('is switched off by MTBNET_DIRECT_IO=0 (or false, off, no)', () => {
    for (const v of ['0', 'false', 'OFF', ' no ']) expect(directIoDisabled({ MTBNET_DIRECT_IO: v }), v).toBe(true);
    for (const v of [undefined, '', '1', 'on', 'yes']) expect(directIoDisabled({ MTBNET_DIRECT_IO: v }), String(v)).toBe(false);
    const before = process.env.MTBNET_DIRECT_IO;
    process.env.MTBNET_DIRECT_IO = '0';
    try {
      expect(openDirectFile(join(dir, 'off.jsonl'))).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.MTBNET_DIRECT_IO;
      else process.env.MTBNET_DIRECT_IO = before;
    }
  });
});

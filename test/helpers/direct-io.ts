/**
 * What the kernel does with direct writes (O_DIRECT) in a folder, asked of it here, apart from
 * server/batch/direct-file.ts: what a results file written there should then report.
 */
import { closeSync, constants, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Does a direct write of one block from memory at `offset` bytes past a page boundary succeed in `dir`? */
function directWrite(dir: string, offset: number): boolean {
  const O_DIRECT = constants.O_DIRECT as number | undefined;
  if (process.platform !== 'linux' || O_DIRECT === undefined) return false;
  const probe = join(dir, `.direct-probe-${process.pid}`);
  let fd: number;
  try {
    fd = openSync(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | O_DIRECT);
  } catch {
    return false;
  }
  try {
    // A WebAssembly memory's buffer starts on a page.
    writeSync(fd, new Uint8Array(new WebAssembly.Memory({ initial: 1 }).buffer, offset, 4096), 0, 4096, 0);
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
    rmSync(probe, { force: true });
  }
}

/** Direct writes of aligned blocks work in `dir`. */
export const directWritesWork = (dir: string) => directWrite(dir, 0);
/** ...and one from an odd address is refused (not quietly written through the page cache, as some file systems do). */
export const misalignedRefused = (dir: string) => directWritesWork(dir) && !directWrite(dir, 1);

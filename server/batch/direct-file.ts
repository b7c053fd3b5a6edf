/**
 * A batch's results file written around the page cache (Linux O_DIRECT): the bytes go from a small staging area
 * straight to the disk, instead of being copied into 760 MB of page cache for a 20,000-sample cohort that no one
 * reads back in this process.
 *
 * Why: a cohort's results are written once and read later, elsewhere. Through the page cache, writing them costs
 * the kernel a copy into pages it must find (and evicts what the machine had cached: the case store, the evidence),
 * and on a virtual machine whose host takes free memory back (docs/performance.md) a page the guest has not used
 * since costs several times a recycled one. A 20,000-sample cohort into new files, eight alternated rounds: 3.81 s
 * (2.14 s of system time) through the page cache against 2.99 s (0.46 s) written directly; into pages just freed by
 * removing the previous results, 2.96 against 2.94 s. Written directly, the time no longer depends on that.
 *
 * How: O_DIRECT needs each write's memory address, length and file offset aligned to the device's block size.
 * Results come as chunks of any length, so they are copied into one of two 4 MB slots of page-aligned memory
 * (a WebAssembly memory: the one page-aligned allocation JavaScript can make), and each full slot is written
 * while the other fills. The last block is written padded with zeros and the file then cut to its true length.
 *
 * When the system cannot: no O_DIRECT (not Linux), a file system without it (the open fails), or a first write
 * refused for its alignment (EINVAL): the file is written through the page cache as before, with the same bytes.
 * MTBNET_DIRECT_IO=0 asks for that too. Every other write error (a full disk) is the caller's, as a stream's is,
 * and the file is then cut to the bytes written before it (no hole, no padding).
 */
import { closeSync, constants, ftruncate, open, openSync, write, close } from 'node:fs';
import { promisify } from 'node:util';

/** File offsets, lengths and addresses are kept to multiples of this: any device's logical block size (512 or 4096). */
const BLOCK = 4096;
/** The size of each of the two staging slots: large writes, few of them (a cohort's 761 MB: 182). */
const SLOT = 4 << 20;
/** WebAssembly memory pages are 64 KiB. */
const WASM_PAGE = 64 * 1024;

const writeAt = (fd: number, bytes: Uint8Array, offset: number, length: number, position: number) =>
  new Promise<number>((resolve, reject) => write(fd, bytes, offset, length, position, (e, n) => (e ? reject(e) : resolve(n))));
const ftruncateAsync = promisify(ftruncate);
const closeAsync = promisify(close);
const openAsync = promisify(open);

export interface ResultsFile {
  /**
   * Take these bytes: the caller may reuse its buffer once the promise settles. One write at a time: each is waited
   * for before the next.
   */
  write(bytes: Uint8Array): Promise<void>;
  /** Write what is left, cut the file to the bytes given, and close it. */
  close(): Promise<void>;
  /** Bytes taken so far. */
  readonly bytes: number;
  /** Still written around the page cache (false once it fell back to ordinary writes). */
  readonly direct: boolean;
}

export interface DirectFileOptions {
  /**
   * Start the staging area this many bytes past its page-aligned start. Only a test sets it (to an odd number: no
   * device takes a direct write from an odd address), to have the kernel refuse the first direct write and see the
   * fallback write every byte.
   */
  misalign?: number;
}

/** Is writing around the page cache switched off (MTBNET_DIRECT_IO=0, false, off or no)? */
export function directIoDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.MTBNET_DIRECT_IO?.trim().toLowerCase();
  return v === '0' || v === 'false' || v === 'off' || v === 'no';
}

/**
 * Create (or empty) `path` for writing around the page cache, or undefined when this system cannot (the caller then
 * writes it as it would any file). The file is created with mode 0666 less the umask, as a write stream creates it.
 */
export function openDirectFile(path: string, options: DirectFileOptions = {}): ResultsFile | undefined {
  const O_DIRECT = constants.O_DIRECT as number | undefined; // Linux only
  if (process.platform !== 'linux' || O_DIRECT === undefined || typeof WebAssembly === 'undefined' || directIoDisabled()) return undefined;
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | O_DIRECT, 0o666);
  } catch {
    return undefined; // EINVAL: a file system without direct I/O (an old tmpfs, some network mounts)
  }
  const misalign = options.misalign ?? 0;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil((2 * SLOT + misalign) / WASM_PAGE) });
  } catch {
    closeSync(fd);
    return undefined;
  }
  return new DirectFile(path, fd, new Uint8Array(memory.buffer, misalign, 2 * SLOT));
}

class DirectFile implements ResultsFile {
  bytes = 0;
  direct = true;
  /** Has a direct write succeeded? Until then an EINVAL means "not this way" and the file is written anew. */
  private confirmed = false;
  /** The slot being filled (0 or 1), and how many of its bytes are taken. */
  private slot = 0;
  private filled = 0;
  /** Where the next slot's (or ordinary write's) bytes go in the file. */
  private offset = 0;
  /** The write of each slot under way, if any. */
  private readonly pending: Array<Promise<void> | undefined> = [undefined, undefined];
  /** Writes go one after another when not direct (each waits for the one before). */
  private chain: Promise<void> = Promise.resolve();
  /** The caller's write under way (settled or not: close() waits for it before it closes the file). */
  private current: Promise<void> = Promise.resolve();
  /** The first error of a write: every later write and close() give it too. */
  private failed: Error | undefined;
  /**
   * The file's bytes written with no gap before them: two slots' writes may finish in either order, so each
   * finished range is kept until the ones before it are. After a failed write the file is cut to this length:
   * the results written before the error, with no hole or padding left in them.
   */
  private durable = 0;
  private readonly finished = new Map<number, number>();
  private closing: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly path: string,
    private fd: number,
    private readonly stage: Uint8Array,
  ) {}

  write(bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.path}: written after it was closed`));
    const taking = this.take(bytes);
    this.current = taking.catch(() => undefined);
    return taking;
  }

  close(): Promise<void> {
    this.closed = true;
    return (this.closing ??= this.finish());
  }

  private async take(bytes: Uint8Array): Promise<void> {
    if (this.failed) throw this.failed;
    this.bytes += bytes.length;
    // Each write is waited for before the next call (the pool writes one chunk after another), so the caller's
    // bytes are not changed while an ordinary write reads them.
    if (!this.direct) return this.ordinary(bytes);
    for (let at = 0; at < bytes.length; ) {
      const n = Math.min(bytes.length - at, SLOT - this.filled);
      this.stage.set(bytes.subarray(at, at + n), this.slot * SLOT + this.filled);
      this.filled += n;
      at += n;
      if (this.filled === SLOT) {
        await this.flush(SLOT);
        // A fallback while flushing wrote the staged bytes the ordinary way: the rest of these bytes follow them.
        if (!this.direct) return this.ordinary(bytes.subarray(at));
      }
    }
  }

  private async finish(): Promise<void> {
    let error: Error | undefined;
    try {
      // A write still under way (a run failing elsewhere may close the file before its last write settled).
      await this.current;
      if (this.direct && this.filled > 0 && !this.failed) {
        // The last block is written whole, padded with zeros; the file is cut to its true length below.
        const end = this.slot * SLOT + this.filled;
        const padded = Math.ceil(this.filled / BLOCK) * BLOCK;
        this.stage.fill(0, end, this.slot * SLOT + padded);
        await this.flush(padded);
      }
    } catch (e) {
      error = e as Error;
    }
    // Every write settles before the file is cut and closed.
    await Promise.allSettled([...this.pending, this.chain]);
    error ??= this.failed;
    try {
      if (this.fd >= 0) await ftruncateAsync(this.fd, error === undefined ? this.bytes : Math.min(this.durable, this.bytes));
    } finally {
      if (this.fd >= 0) await closeAsync(this.fd);
      this.fd = -1;
    }
    if (error !== undefined) throw error;
  }

  /** Write the current slot's first `length` bytes at the next offset, and move to the other slot once it is free. */
  private async flush(length: number): Promise<void> {
    const slot = this.slot;
    const at = this.offset;
    this.offset += length;
    this.slot ^= 1;
    this.filled = 0;
    if (!this.confirmed) {
      // The first direct write is made before anything else: a refusal then leaves nothing half written.
      try {
        await this.writeSlot(slot, length, at);
        this.confirmed = true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw this.fail(e);
        await this.fallBack(slot, length);
      }
      return;
    }
    const writing = this.writeSlot(slot, length, at).catch((e: unknown) => Promise.reject(this.fail(e)));
    // Its error is met when this slot is next needed (or at close): marked as handled until then.
    writing.catch(() => undefined);
    this.pending[slot] = writing;
    // The slot to fill next must be written out first; its error (a full disk) is this write's.
    const other = this.pending[this.slot];
    this.pending[this.slot] = undefined;
    await other;
  }

  private async writeSlot(slot: number, length: number, position: number): Promise<void> {
    for (let done = 0; done < length; ) {
      // A short write of a direct write ends at a block boundary; the rest follows from there.
      const n = await writeAt(this.fd, this.stage, slot * SLOT + done, length - done, position + done);
      if (n <= 0) throw new Error(`${this.path}: the disk took no bytes`);
      this.written(position + done, position + done + n);
      done += n;
    }
  }

  /** The kernel refused direct writes here: the file is opened anew and written the ordinary way from the start. */
  private async fallBack(slot: number, length: number): Promise<void> {
    this.direct = false;
    const fd = this.fd;
    this.fd = -1;
    await closeAsync(fd);
    try {
      this.fd = await openAsync(this.path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o666);
    } catch (e) {
      throw this.fail(e);
    }
    this.offset = 0;
    this.durable = 0;
    this.finished.clear();
    // Only the one slot holds bytes: this is the first write (the file was empty), and the other slot is unused.
    const unpadded = Math.min(length, this.bytes);
    await this.ordinary(this.stage.slice(slot * SLOT, slot * SLOT + unpadded));
  }

  /** An ordinary write at the end of what was written, after those before it. */
  private ordinary(bytes: Uint8Array): Promise<void> {
    const position = this.offset;
    this.offset += bytes.length;
    const next = this.chain.then(async () => {
      for (let done = 0; done < bytes.length; ) {
        const n = await writeAt(this.fd, bytes, done, bytes.length - done, position + done);
        if (n <= 0) throw new Error(`${this.path}: the disk took no bytes`);
        this.written(position + done, position + done + n);
        done += n;
      }
    }).catch((e: unknown) => Promise.reject(this.fail(e)));
    this.chain = next;
    return next;
  }

  /** These bytes of the file are written: the unbroken length from the start grows once the gap before them is filled. */
  private written(start: number, end: number): void {
    this.finished.set(start, end);
    for (let e = this.finished.get(this.durable); e !== undefined; e = this.finished.get(this.durable)) {
      this.finished.delete(this.durable);
      this.durable = e;
    }
  }

  /** Keep the first error of a write (every later write and close() give it too), and return it. */
  private fail(e: unknown): Error {
    this.failed ??= e instanceof Error ? e : new Error(String(e));
    return this.failed;
  }
}

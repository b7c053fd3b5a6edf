/**
 * Opening an input for the readers: a path, a Buffer, a string, a Node stream
 * or any async iterable of bytes. Gzip (and BGZF) is recognised by its magic
 * bytes and decompressed on the fly (node:zlib); the size limit is checked
 * before and while reading; lines are produced one at a time, so a 100 MB file
 * is never held whole.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { Readable } from 'node:stream';
import { InvalidInputError } from '../domain/errors.ts';
import { DEFAULT_MAX_BYTES } from './types.ts';
import { BGZF_EOF, isBgzfEof, isBgzfHeader } from '../domain/bgzf.ts';

const MODULE = 'profile/read';

/** Anything a reader can read from. A `string` is a file path unless wrapped as `{ text }`. */
export type ProfileSource =
  | string
  | { text: string; filename?: string }
  | { path: string }
  | Uint8Array
  | NodeJS.ReadableStream
  | AsyncIterable<Uint8Array | string>;

export interface OpenedSource {
  /** The first bytes, decoded (up to HEAD_BYTES), for format detection. */
  head: string;
  /** Lines with their 1-based numbers; the head is included. */
  lines(): AsyncIterable<{ text: string; no: number }>;
  /** File name when known (for detection and default ids). */
  filename?: string;
  gzip: boolean;
  /** Compressed bytes consumed so far, and the total when known. */
  bytesRead(): number;
  totalBytes?: number;
  /** Opens the same input again from the start, for sources that can be read twice (files, buffers, text). */
  reopen?: () => Promise<OpenedSource>;
}

export const HEAD_BYTES = 64 * 1024;
/**
 * Every this many lines a reader lets the event loop run (`breather`): text already in memory (an upload to the
 * server) would otherwise be read to its end in one go, and a 14 MB MAF held every other request for 0.8 s.
 */
export const YIELD_LINES = 2000;
/** Why a BGZF file without it is refused, and what to do. */
export const BGZF_CUT =
  'it ends without the end-of-file block that bgzip writes, so it was cut short (a download or copy that stopped) and variants may be missing: ' +
  'download or copy it again (a complete file from a tool that leaves the block out reads once recompressed with bgzip)';
const breather = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Decompressed data may be larger than the file, but not without bound (a gzip bomb). */
export const MAX_EXPANSION = 20;

function tooBig(what: string, limit: number): InvalidInputError {
  const size = limit >= 1024 * 1024 ? `${Math.round(limit / (1024 * 1024))} MB` : `${limit} byte`;
  return new InvalidInputError(`${MODULE}: input too large`, [
    {
      message: `${what} is over the ${size} limit: split it (e.g. one file per sample) or filter it to the reportable variants before uploading`,
    },
  ]);
}

async function* chunksOf(source: ProfileSource): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string') {
    yield* createReadStream(source) as AsyncIterable<Buffer>;
  } else if (source instanceof Uint8Array) {
    yield source;
  } else if ('text' in (source as object) && typeof (source as { text: unknown }).text === 'string') {
    yield Buffer.from((source as { text: string }).text, 'utf8');
  } else if ('path' in (source as object) && typeof (source as { path: unknown }).path === 'string') {
    yield* createReadStream((source as { path: string }).path) as AsyncIterable<Buffer>;
  } else if (Symbol.asyncIterator in (source as object)) {
    for await (const c of source as AsyncIterable<Uint8Array | string>) yield typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
  } else {
    yield* Readable.from(source as NodeJS.ReadableStream) as AsyncIterable<Buffer>;
  }
}

/**
 * Open a source: checks its size, detects gzip, and reads the head. Throws
 * InvalidInputError for a missing file, an empty file, a file over the limit,
 * or a binary file that is not gzip.
 */
export async function openSource(source: ProfileSource, options: { maxBytes?: number; filename?: string } = {}): Promise<OpenedSource> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let filename = options.filename;
  let totalBytes: number | undefined;
  const path = typeof source === 'string' ? source : typeof source === 'object' && source !== null && 'path' in source && typeof source.path === 'string' ? source.path : undefined;
  if (typeof source === 'object' && source !== null && 'text' in source && typeof source.text === 'string') {
    filename ??= (source as { filename?: string }).filename;
  }
  if (path !== undefined) {
    filename ??= path.split(/[\\/]/).pop();
    let st;
    try {
      st = await stat(path);
    } catch {
      throw new InvalidInputError(`${MODULE}: cannot open ${path}`, [{ path, message: 'no such file, or it cannot be read' }]);
    }
    if (!st.isFile()) throw new InvalidInputError(`${MODULE}: ${path} is not a file`, [{ path, message: 'expected a file, got a directory or device' }]);
    totalBytes = st.size;
    if (st.size > maxBytes) throw tooBig(`the file (${(st.size / 1048576).toFixed(1)} MB)`, maxBytes);
  } else if (source instanceof Uint8Array) {
    totalBytes = source.byteLength;
    if (source.byteLength > maxBytes) throw tooBig(`the input (${(source.byteLength / 1048576).toFixed(1)} MB)`, maxBytes);
  } else if (typeof source === 'object' && source !== null && 'text' in source && typeof source.text === 'string') {
    totalBytes = Buffer.byteLength(source.text, 'utf8');
    if (totalBytes > maxBytes) throw tooBig(`the text (${(totalBytes / 1048576).toFixed(1)} MB)`, maxBytes);
  }

  // Raw bytes, counted against the limit as they arrive.
  let raw = 0;
  const rawIter = chunksOf(source);
  /** The input's last bytes (BGZF_EOF.length of them), to check a BGZF file's end. */
  let tail = Buffer.alloc(0);
  const keepTail = (c: Uint8Array) => {
    const b = Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    tail = b.byteLength >= BGZF_EOF.length ? Buffer.from(b.subarray(b.byteLength - BGZF_EOF.length)) : Buffer.concat([tail, b]).subarray(-BGZF_EOF.length);
  };
  async function* counted(first: Uint8Array[]): AsyncGenerator<Uint8Array> {
    for (const c of first) {
      keepTail(c);
      yield c;
    }
    for await (const c of rawIter) {
      raw += c.byteLength;
      if (raw > maxBytes) throw tooBig('the input', maxBytes);
      keepTail(c);
      yield c;
    }
  }
  // Peek at the first raw bytes for the gzip magic.
  const first: Uint8Array[] = [];
  let firstLen = 0;
  try {
    // Enough for the gzip magic and, for BGZF, its first block's header (with the BC field).
    while (firstLen < 18) {
      const r = await rawIter.next();
      if (r.done) break;
      first.push(r.value);
      firstLen += r.value.byteLength;
      raw += r.value.byteLength;
      if (raw > maxBytes) throw tooBig('the input', maxBytes);
    }
  } catch (err) {
    if (err instanceof InvalidInputError) throw err;
    throw new InvalidInputError(`${MODULE}: cannot read the input`, [{ path, message: (err as Error).message }]);
  }
  const start = Buffer.concat(first.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))).subarray(0, 18);
  const magic = start.subarray(0, 4);
  if (firstLen === 0) {
    throw new InvalidInputError(`${MODULE}: the input is empty`, [{ path: filename, line: 1, message: 'the file is empty (0 bytes): nothing to read' }]);
  }
  const gzip = magic[0] === 0x1f && magic[1] === 0x8b;
  // BGZF (bgzip, the usual .vcf.gz): gzip members with a BC extra field.
  const bgzf = isBgzfHeader(start);
  if (magic[0] === 0x50 && magic[1] === 0x4b && magic[2] === 0x03 && magic[3] === 0x04) {
    throw new InvalidInputError(`${MODULE}: this is a zip or Excel file`, [
      { path: filename, line: 1, message: 'zip / .xlsx files cannot be read: export the sheet as tab-separated text (.tsv) or gzip the file instead' },
    ]);
  }
  if (magic[0] === 0x42 && magic[1] === 0x41 && magic[2] === 0x4d && magic[3] === 0x01) {
    throw new InvalidInputError(`${MODULE}: this is a BAM file`, [{ path: filename, line: 1, message: 'aligned reads (BAM) cannot be read: call variants first and upload the VCF' }]);
  }

  // Decompressed bytes, also limited (gzip bombs).
  const maxPlain = gzip ? maxBytes * MAX_EXPANSION : maxBytes;
  async function* plainBytes(): AsyncGenerator<Uint8Array> {
    const input = counted(first);
    if (!gzip) {
      yield* input;
      return;
    }
    const gunzip = createGunzip();
    const src = Readable.from(input);
    src.on('error', (e) => gunzip.destroy(e));
    const piped = src.pipe(gunzip);
    let plain = 0;
    try {
      for await (const c of piped as AsyncIterable<Buffer>) {
        plain += c.byteLength;
        if (plain > maxPlain) throw tooBig('the decompressed input', maxPlain);
        yield c;
      }
      // Cut after a whole block, a BGZF file still unpacks, only shorter: its end-of-file block says it is whole.
      if (bgzf && !isBgzfEof(tail)) {
        throw new InvalidInputError(`${MODULE}: the BGZF file is truncated`, [{ path: filename, message: BGZF_CUT }]);
      }
    } catch (err) {
      if (err instanceof InvalidInputError) throw err;
      throw new InvalidInputError(`${MODULE}: the gzip file is damaged`, [
        { path: filename, message: `${(err as Error).message}: the file may be truncated; download or compress it again` },
      ]);
    }
  }

  // Decode and split lines; keep the head for detection.
  const plainIter = plainBytes();
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let head = '';
  const buffered: string[] = [];
  let ended = false;
  while (head.length < HEAD_BYTES) {
    const r = await plainIter.next();
    if (r.done) {
      ended = true;
      const rest = decoder.end();
      head += rest;
      buffered.push(rest);
      break;
    }
    const s = decoder.write(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength));
    head += s;
    buffered.push(s);
  }
  checkText(head, filename);

  async function* lines(): AsyncGenerator<{ text: string; no: number }> {
    let no = 0;
    const emit = function* (text: string) {
      pending += text;
      let i: number;
      while ((i = pending.indexOf('\n')) >= 0) {
        let line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        yield { text: no === 0 ? line.replace(/^\uFEFF/, '') : line, no: ++no };
      }
    };
    for (const s of buffered) {
      for (const line of emit(s)) {
        if (line.no % YIELD_LINES === 0) await breather();
        yield line;
      }
    }
    buffered.length = 0;
    if (!ended) {
      for await (const c of plainIter) {
        for (const line of emit(decoder.write(Buffer.from(c.buffer, c.byteOffset, c.byteLength)))) {
          if (line.no % YIELD_LINES === 0) await breather();
          yield line;
        }
      }
      for (const line of emit(decoder.end())) yield line;
    }
    if (pending !== '') {
      const line = pending.endsWith('\r') ? pending.slice(0, -1) : pending;
      pending = '';
      yield { text: no === 0 ? line.replace(/^\uFEFF/, '') : line, no: ++no };
    }
  }

  const rereadable = path !== undefined || source instanceof Uint8Array || (typeof source === 'object' && source !== null && 'text' in source);
  const reopen = rereadable ? () => openSource(source, options) : undefined;
  return { head, lines, filename, gzip, bytesRead: () => raw, totalBytes, reopen };
}

/** Refuse binary content: NUL bytes or many control / replacement characters. */
export function checkText(head: string, filename?: string): void {
  const sample = head.slice(0, 8192);
  if (sample.length === 0) return;
  let bad = 0;
  let firstBad = -1;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) {
      bad++;
      if (firstBad < 0) firstBad = i;
    }
  }
  if (sample.includes('\u0000') || bad / sample.length > 0.01) {
    const line = sample.slice(0, firstBad).split('\n').length;
    throw new InvalidInputError(`${MODULE}: this is not a text file`, [
      {
        path: filename,
        line,
        message: 'the input contains binary data: expected a VCF, MAF, TSV, JSON or text profile (plain or gzip-compressed)',
      },
    ]);
  }
}

/** Small helpers shared by CLI commands: reading input, usage errors. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InvalidInputError } from '../domain/errors.ts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<string>;
}

export const processIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** Read a file (gunzipping .gz) or stdin for `-`. */
export async function readInput(path: string, io: Io): Promise<string> {
  if (path === '-') return io.readStdin();
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new InvalidInputError(`cli: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, [
      { path, message: 'check the path, or use - to read standard input' },
    ]);
  }
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  return buf.toString('utf8');
}

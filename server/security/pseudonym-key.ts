/**
 * The installation's pseudonymisation key (see pseudonyms.ts): 32 random
 * bytes, hex, in `<data dir>/pseudonym.key` (mode 0600), created on first use;
 * or the file `MTBNET_PSEUDONYM_KEY_FILE` names, which must exist (a missing
 * shared key must not silently become a new one: every sample would get a
 * new ID). The key is kept apart from the database on purpose: a copy of the
 * database alone does not let anyone test a guessed name against its ID.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError, type ErrorDetail } from '../domain/errors.ts';
import { DEFAULT_DATA_DIR } from '../store/index.ts';

export const PSEUDONYM_KEY_FILE = 'pseudonym.key';
const KEY_BYTES = 32;

export class PseudonymKeyError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('pseudonym_key', message, 500, details);
  }
}

/** Where the installation's key is: MTBNET_PSEUDONYM_KEY_FILE, else `pseudonym.key` in the data folder. */
export function pseudonymKeyFile(options: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}): { file: string; configured: boolean } {
  const env = options.env ?? process.env;
  if (env.MTBNET_PSEUDONYM_KEY_FILE) return { file: resolve(env.MTBNET_PSEUDONYM_KEY_FILE), configured: true };
  return { file: join(resolve(options.dataDir ?? env.MTBNET_DATA_DIR ?? DEFAULT_DATA_DIR), PSEUDONYM_KEY_FILE), configured: false };
}

/** Write a new random key, readable by the owner only; atomic (a temp file hard-linked into place), so concurrent first uses agree on one key. */
function createKeyFile(file: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(KEY_BYTES).toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * The installation's pseudonymisation key (32 bytes), created on first use in
 * the data folder. Throws PseudonymKeyError naming the file when it cannot be
 * read or does not hold a key.
 */
export function loadPseudonymKey(options: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Buffer {
  const { file, configured } = pseudonymKeyFile(options);
  if (!existsSync(file)) {
    if (configured) {
      throw new PseudonymKeyError(`privacy: no pseudonymisation key at ${file}`, [
        { path: 'MTBNET_PSEUDONYM_KEY_FILE', message: 'the file it names does not exist; restore the key (a new one would give every sample a new ID), or unset it to use the data folder\'s key' },
      ]);
    }
    try {
      createKeyFile(file);
    } catch (e) {
      throw new PseudonymKeyError(`privacy: cannot create the pseudonymisation key ${file}: ${(e as Error).message}`);
    }
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new PseudonymKeyError(`privacy: cannot read the pseudonymisation key ${file}: ${(e as Error).message}`);
  }
  if (!/^[0-9a-f]{64,}$/i.test(text) || text.length % 2 !== 0) {
    throw new PseudonymKeyError(`privacy: ${file} does not hold a pseudonymisation key`, [
      { path: file, message: `expected at least ${KEY_BYTES} bytes as hexadecimal digits on one line` },
    ]);
  }
  return Buffer.from(text, 'hex');
}

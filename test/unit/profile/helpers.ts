import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readProfiles } from '../../../server/profile/index.ts';
import type { ReadOptions, ReadResult } from '../../../server/profile/types.ts';
import type { ProfileSource } from '../../../server/profile/io.ts';
import { InvalidInputError } from '../../../server/domain/errors.ts';

export const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/profile/${name}`, import.meta.url));
/** ../shared/data beside the repository (DESIGN §7); absent on some machines. */
export const SHARED = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
export const HAVE_SHARED = existsSync(SHARED);
if (!HAVE_SHARED) console.warn(`profile tests: ${SHARED} is absent; tests on the public data files are skipped`);

export async function readAll(source: ProfileSource, options: ReadOptions = {}): Promise<ReadResult[]> {
  const out: ReadResult[] = [];
  for await (const r of readProfiles(source, options)) out.push(r);
  return out;
}

export const text = (t: string, filename?: string): ProfileSource => ({ text: t, filename });

/** The InvalidInputError a read throws (or undefined). */
export async function readError(source: ProfileSource, options: ReadOptions = {}): Promise<InvalidInputError> {
  try {
    await readAll(source, options);
  } catch (e) {
    if (e instanceof InvalidInputError) return e;
    throw e;
  }
  throw new Error('expected an InvalidInputError, but the read succeeded');
}

export const keys = (r: ReadResult) => r.profile.alterations.map((a) => a.key);

/**
 * The CLI's side of pseudonymous sample IDs (server/security/pseudonyms.ts):
 * read the user's sample map (`--sample-map FILE`), write which sample name
 * became which ID (`--sample-ids FILE`, readable by the owner only), and say
 * on stderr how many names were replaced, without naming any.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { InvalidInputError } from '../domain/errors.ts';
import { parseSampleMap, type SampleIdEntry } from '../security/pseudonyms.ts';
import type { Io } from './io.ts';

export function readSampleMapFile(path: string): Map<string, string> {
  if (!existsSync(path)) throw new InvalidInputError(`cli: cannot read the sample map ${path}: no such file`, [{ path: '--sample-map', message: 'a file of "sample<TAB>case-id" lines' }]);
  return parseSampleMap(readFileSync(path, 'utf8'), path);
}

/** `sample<TAB>id<TAB>how` lines with a header; mode 0600 (it is the link back to the lab's names). */
export function writeSampleIds(path: string, entries: readonly SampleIdEntry[]): void {
  const clean = (s: string) => s.replace(/[\t\r\n]+/g, ' ');
  const text = ['sample\tid\thow', ...entries.map((e) => `${clean(e.sample)}\t${e.id}\t${e.how}`)].join('\n');
  writeFileSync(path, `${text}\n`, { mode: 0o600 });
}

export function noteSampleIds(command: string, entries: readonly SampleIdEntry[], written: string | undefined, io: Io): void {
  const n = entries.filter((e) => e.how === 'pseudonym').length;
  if (n === 0 && !written) return;
  const what = `${n} sample name${n === 1 ? '' : 's'} replaced by pseudonymous ID${n === 1 ? '' : 's'}`;
  io.stderr(written ? `${command}: ${what}; which is which: ${written}\n` : `${command}: ${what} (--sample-ids FILE writes which is which; --sample-map FILE or --id gives your own IDs)\n`);
}

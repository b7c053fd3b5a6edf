/**
 * Delimited tables (TSV, CSV, whitespace) as the MAF, copy-number and fusion
 * readers see them: comment lines skipped, the header found and its columns
 * looked up by any of their usual names (case-insensitive).
 */
import { InvalidInputError } from '../domain/errors.ts';
import type { OpenedSource } from './io.ts';

import { makeHeader, split, isComment, isRowComment, type Header } from '../domain/columns.ts';

// The header and line splitting are plain string work, shared with the board's intake (client/src/profile-input.ts).
export { makeHeader, split, isComment, type Header };

/**
 * Rows of a table: the header first (`{header}`), then `{cells, no}` for each
 * data line. Throws InvalidInputError when the file has no header.
 */
export async function* tableRows(
  src: OpenedSource,
  module: string,
): AsyncGenerator<{ header: Header } | { cells: string[]; no: number; text: string }> {
  let header: Header | undefined;
  for await (const { text, no } of src.lines()) {
    if (text.trim() === '') continue;
    if (header === undefined) {
      if (isComment(text)) continue;
      header = makeHeader(text, no);
      yield { header };
      continue;
    }
    if (isRowComment(text)) continue;
    yield { cells: split(text, header.delimiter).map((c) => c.trim().replace(/^"|"$/g, '')), no, text };
  }
  if (header === undefined) {
    throw new InvalidInputError(`${module}: no table found`, [{ line: 1, message: 'the file holds no header line (only comments or blank lines)' }]);
  }
}

/** "column X (header line N)" for messages. */
export function columnList(header: Header): string {
  return header.columns.slice(0, 12).join(', ') + (header.columns.length > 12 ? ', ...' : '');
}

/**
 * The rows of one sample of a table of several (`ReadOptions.sample`: a single profile read from a cohort's MAF, a
 * copy-number matrix or a fusion table of several samples). A row of another sample is passed over, and the first
 * 20 other names are kept to name them when the one asked for is not there.
 */
export class OneSample {
  private readonly others = new Set<string>();
  private kept = 0;
  constructor(private readonly wanted: string | undefined) {}

  /** Is a row of this sample to be read? `name` is the row's sample cell; undefined in a table without one. */
  keeps(name: string | undefined): boolean {
    if (this.wanted === undefined || name === undefined) return true;
    if (name === this.wanted) {
      this.kept++;
      return true;
    }
    if (name !== '' && this.others.size < 20) this.others.add(name);
    return false;
  }

  /** Throws when the sample asked for has no row and others have: the error names them. */
  check(module: string, table: string, path: string): void {
    if (this.wanted === undefined || this.kept > 0 || this.others.size === 0) return;
    throw new InvalidInputError(`${module}: no sample "${this.wanted}"`, [
      { path, message: `the samples in this ${table} are ${[...this.others].join(', ')}${this.others.size === 20 ? ', ...' : ''}` },
    ]);
  }
}

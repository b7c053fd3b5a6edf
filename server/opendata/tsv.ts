/**
 * A strict reader for the tab-separated releases of CIViC and CGI. Every row
 * must have exactly as many fields as the header, and the file must end with a
 * newline: a truncated or garbled release is rejected with the line number
 * rather than read in part. Fields are not quoted in these releases (CIViC
 * writes statements with tabs and newlines squashed), so a field is whatever
 * lies between two tabs.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export class OpenDataError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, message: string) {
    super(`opendata: ${file}${line !== undefined ? `:${line}` : ''}: ${message}`);
    this.name = 'OpenDataError';
    this.file = file;
    this.line = line;
  }
}

export interface TsvRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  get(column: string): string;
  has(column: string): boolean;
}

export interface TsvTable {
  file: string;
  header: string[];
  rows: TsvRow[];
}

export interface ReadTsvOptions {
  /** Columns the file must have; a missing one is an error naming the column. */
  required?: readonly string[];
  /** Allow the last line without a newline (off: a missing final newline reads as truncation). */
  allowUnterminated?: boolean;
}

/** Parse TSV text. Throws OpenDataError naming the first bad line. */
export function parseTsv(text: string, file: string, options: ReadTsvOptions = {}): TsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new OpenDataError(file, 1, 'empty file');
  if (text.includes('\0')) {
    const line = text.slice(0, text.indexOf('\0')).split('\n').length;
    throw new OpenDataError(file, line, 'binary data (NUL byte): not a TSV file');
  }
  const lines = text.split('\n');
  const terminated = lines[lines.length - 1] === '';
  if (terminated) lines.pop();
  else if (!options.allowUnterminated) {
    throw new OpenDataError(file, lines.length, 'the last line has no line end: the file looks truncated');
  }
  const header = lines[0]!.replace(/\r$/, '').split('\t').map((h) => h.trim());
  const index = new Map<string, number>();
  header.forEach((h, i) => index.set(h, i));
  for (const col of options.required ?? []) {
    if (!index.has(col)) throw new OpenDataError(file, 1, `missing column "${col}" (header: ${header.slice(0, 8).join(', ')}${header.length > 8 ? ', ...' : ''})`);
  }
  const rows: TsvRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw === '') continue;
    const fields = raw.split('\t');
    if (fields.length !== header.length) {
      throw new OpenDataError(file, i + 1, `${fields.length} field(s) where the header has ${header.length}: the row is truncated or garbled`);
    }
    const line = i + 1;
    rows.push({
      line,
      get: (column) => {
        const k = index.get(column);
        return k === undefined ? '' : fields[k]!.trim();
      },
      has: (column) => index.has(column),
    });
  }
  return { file, header, rows };
}

/** Read a TSV file (gzip read directly when the name ends in .gz). */
export function readTsv(path: string, options: ReadTsvOptions = {}): TsvTable {
  let text: string;
  try {
    const buf = readFileSync(path);
    text = path.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  } catch (e) {
    throw new OpenDataError(path, undefined, `cannot read: ${(e as Error).message}`);
  }
  return parseTsv(text, path, options);
}

/** Check that a table has the given columns; throws naming the first missing one. */
export function requireColumns(table: TsvTable, columns: readonly string[]): void {
  for (const col of columns) {
    if (!table.header.includes(col)) {
      throw new OpenDataError(table.file, 1, `missing column "${col}" (header: ${table.header.slice(0, 8).join(', ')}${table.header.length > 8 ? ', ...' : ''})`);
    }
  }
}

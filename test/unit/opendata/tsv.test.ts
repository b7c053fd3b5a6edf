import { describe, expect, it } from 'vitest';
import { OpenDataError, parseTsv } from '../../../server/opendata/tsv.ts';

describe('opendata/tsv: strict reading of releases', () => {
  it('reads rows with their line numbers and named columns', () => {
    const t = parseTsv('a\tb\n1\t2\n3\t4\n', 'x.tsv', { required: ['a', 'b'] });
    expect(t.rows.map((r) => [r.line, r.get('a'), r.get('b')])).toEqual([[2, '1', '2'], [3, '3', '4']]);
  });

  it('rejects a file cut off mid-line, naming the last line', () => {
    expect(() => parseTsv('a\tb\n1\t2\n3', 'x.tsv')).toThrow(/x\.tsv:3: .*truncated/);
  });

  it('rejects a row with the wrong number of fields, naming its line', () => {
    try {
      parseTsv('a\tb\tc\n1\t2\t3\n4\t5\n', 'x.tsv');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OpenDataError);
      expect((e as OpenDataError).line).toBe(3);
    }
  });

  it('rejects a missing column and binary content', () => {
    expect(() => parseTsv('a\tb\n1\t2\n', 'x.tsv', { required: ['gene'] })).toThrow(/missing column "gene"/);
    expect(() => parseTsv('a\tb\n1\0\t2\n', 'x.tsv')).toThrow(/x\.tsv:2: binary/);
  });
});

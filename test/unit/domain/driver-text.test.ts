/**
 * The driver annotation as the screens and reports say it (server/domain/driver-text.ts): variants by their
 * driver class, status results (signatures, promoter methylation, expression) as a status either way.
 */
import { describe, expect, it } from 'vitest';
import { driverStyle, driverText, isStatusResult } from '../../../server/domain/driver-text.ts';

describe('driverText', () => {
  it.each([
    [{ kind: 'mutation', driver: 'oncogenic' }, 'oncogenic', 'oncogenic'],
    [{ kind: 'amplification', driver: 'likely' }, 'likely oncogenic', 'likely'],
    [{ kind: 'mutation', driver: 'unknown' }, 'unknown significance', 'unknown'],
    [{ kind: 'expression', driver: 'unknown' }, 'status result', 'status'],
    [{ kind: 'expression', driver: 'likely' }, 'predictive status', 'status'],
    [{ kind: 'signature', driver: 'oncogenic' }, 'predictive status', 'status'],
    [{ kind: 'signature', driver: 'unknown' }, 'status result', 'status'],
    [{ kind: 'methylation', driver: 'oncogenic' }, 'predictive status', 'status'],
    [{ kind: 'methylation', driver: 'unknown' }, 'status result', 'status'],
  ])('%o reads "%s" (style %s)', (a, text, style) => {
    expect(driverText(a)).toBe(text);
    expect(driverStyle(a)).toBe(style);
  });

  it('calls only signatures, promoter methylation and expression results status results', () => {
    expect(['mutation', 'amplification', 'deletion', 'fusion', 'expression', 'methylation', 'signature'].filter((kind) => isStatusResult({ kind }))).toEqual([
      'expression',
      'methylation',
      'signature',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { median } from '../../../scripts/bench/stats.ts';

describe('bench median', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5.2, 4.8, 6.1])).toBe(5.2);
    expect(median([3, 1, 4, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(/no values/);
  });
});

/** The bounded cache behind the contribution pool (server/scoring/intern.ts): what is used stays, the rest goes. */
import { describe, expect, it } from 'vitest';
import { GenerationalCache } from '../../../server/scoring/intern.ts';

describe('GenerationalCache', () => {
  it('keeps an entry that is used across generations and drops one that is not', () => {
    const c = new GenerationalCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3); // young was full: {a, b} become the old generation
    expect(c.get('a')).toBe(1); // found in the old generation, moved back to the young one
    c.set('d', 4); // young {c, a} full: it becomes the old generation, {b} is dropped
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.get('d')).toBe(4);
  });

  it('never holds more than about twice its limit, however many keys pass through', () => {
    const c = new GenerationalCache<number>(100);
    for (let i = 0; i < 10_000; i++) {
      c.set(`k${i}`, i);
      if (i % 7 === 0) c.get('k0'); // one recurring key
      expect(c.size).toBeLessThanOrEqual(201);
    }
    expect(c.get('k0')).toBe(0);
    expect(c.get('k9999')).toBe(9999);
  });
});

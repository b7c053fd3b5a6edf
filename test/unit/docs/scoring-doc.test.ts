import { describe, expect, it } from 'vitest';
import { currentSection, renderExamples } from '../../../scripts/docs/scoring-examples.ts';

describe('docs/scoring.md', () => {
  it('its worked examples equal what the code computes now (run `npm run docs:scoring` after changing evidence or weights)', () => {
    expect(currentSection()).toBe(renderExamples());
  });
});

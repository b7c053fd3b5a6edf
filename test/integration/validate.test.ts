/**
 * Regression guard (issue 11): the CIViC and CGI validations with the curated
 * knowledge base alone, with floors just below today's figures, so a change
 * that loses ground fails the test run. Raise the floors when the figures rise
 * (docs/validation.md quotes them). Reads ../shared/data.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate } from '../../server/validate/index.ts';
import { MISS_REASONS } from '../../server/validate/types.ts';
import { ROOT } from '../helpers/cli.ts';

const DATA = join(ROOT, '..', 'shared', 'data');
const HAS_DATA = existsSync(join(DATA, 'civic')) && existsSync(join(DATA, 'cgi')) && existsSync(join(DATA, 'oncotree'));
if (!HAS_DATA) console.warn(`validation guard skipped: no open data at ${DATA} (CIViC, CGI, OncoTree releases)`);

/**
 * Today's figures minus a small margin (knowledge base of 2026-11 with the
 * validation-gap curation, the combination curation, the fourth and fifth
 * passes; competition ranks; category items mapped through their
 * representative change; drug classes read as their drugs; randomised
 * comparisons lift a winner to its comparator; hyphenated HGNC symbols and
 * promoter methylation understood; regimens read with their study's partner
 * drugs; the eighth pass: expression-marker studies that measured response
 * to the drug, curated as retrospective). CIViC: hit@1 0.440, hit@3 0.805,
 * hit@10 0.873, resistance 0.847 (222 of 689 unmapped; 260 of 323 found at 3; knowledge base 2026.11.7:
 * withdrawn approvals and the narrowed erdafitinib label moved two FGFR2 fusion items of 2021 from first,
 * one of them out of the top 3);
 * CGI: 0.634, 0.951, 0.992, 0.991; CIViC assertions hit@3 1.0.
 */
const FLOORS = {
  civic: { items: 680, maxUnmapped: 240, hit1: 0.435, hit3: 0.8, hit10: 0.87, resistance_flagged: 0.83 },
  cgi: { items: 270, maxUnmapped: 50, hit1: 0.6, hit3: 0.94, hit10: 0.97, resistance_flagged: 0.97 },
} as const;
/**
 * Shares move when more items are understood (2026-11-23: hyphenated HGNC symbols and promoter
 * methylation brought 6 sensitivity items in, 3 of them HLA-DRA expression items the knowledge base
 * does not hold, so hit@3 went 0.782 -> 0.777 while finding 3 more; the partner drugs then found 2 more). The counts of items found
 * guard the ground held whatever the denominator does.
 */
const FOUND_FLOORS = {
  civic: { hit1: 141, hit3: 260, hit10: 281, resistance_flagged: 120 },
  cgi: { hit1: 76, hit3: 115, hit10: 120, resistance_flagged: 107 },
} as const;

describe.skipIf(!HAS_DATA)('validation against open references (curated knowledge base only)', () => {
  it.each(['civic', 'cgi'] as const)('%s: hit@1/3/10 and resistance flagged stay above their floors', (reference) => {
    const { report } = validate(reference, { dataDir: DATA });
    const floor = FLOORS[reference];
    expect(report.knowledgeBase.curatedOnly).toBe(true);
    expect(report.note).toMatch(/curated knowledge base only/i);
    expect(report.items).toBeGreaterThanOrEqual(floor.items);
    expect(report.unmapped).toBeLessThanOrEqual(floor.maxUnmapped);
    expect(report.hit1).toBeGreaterThanOrEqual(floor.hit1);
    expect(report.hit3).toBeGreaterThanOrEqual(floor.hit3);
    expect(report.hit10).toBeGreaterThanOrEqual(floor.hit10);
    expect(report.resistance_flagged).toBeGreaterThanOrEqual(floor.resistance_flagged);
    const found = FOUND_FLOORS[reference];
    expect(report.counts.hit1).toBeGreaterThanOrEqual(found.hit1);
    expect(report.counts.hit3).toBeGreaterThanOrEqual(found.hit3);
    expect(report.counts.hit10).toBeGreaterThanOrEqual(found.hit10);
    expect(report.counts.resistance_flagged).toBeGreaterThanOrEqual(found.resistance_flagged);
    // every miss has one of the five reasons, and the counts add up
    for (const m of report.misses) expect(MISS_REASONS).toContain(m.reason);
    const c = report.counts;
    expect(c.sensitivity + c.resistance + c.unmapped).toBe(report.items);
  }, 60_000);

  it('the CIViC assertions (AMP tier I/II) are reported apart', () => {
    const { report } = validate('civic-assertions', { dataDir: DATA });
    expect(report.reference).toBe('civic-assertions');
    expect(report.items).toBeGreaterThan(5);
    expect(report.hit3).toBeGreaterThanOrEqual(0.93);
    expect(report.hit10).toBeGreaterThanOrEqual(0.8);
  });

  it('a run with imported sets says it is not a headline figure', () => {
    const { report } = validate('civic-assertions', { dataDir: DATA, imports: ['civic'] });
    expect(report.knowledgeBase.curatedOnly).toBe(false);
    expect(report.note).toMatch(/not a headline figure/);
  });
});

/** Presenter keys, case search (server/cases/case-summaries.ts, what the home page's search asks) and the meeting shown first. */
import { describe, expect, it } from 'vitest';
import { presenterAction } from '../../../client/src/Presenter.tsx';
import { defaultMeeting } from '../../../client/src/Home.tsx';
import { matchesSearch } from '../../../server/cases/case-summaries.ts';
import type { CaseSummary } from '../../../client/src/api.ts';

describe('presenter keys', () => {
  it('moves between cases, therapies, the network and the decision form', () => {
    expect(['ArrowRight', 'PageDown'].map(presenterAction)).toEqual(['next-case', 'next-case']);
    expect(['ArrowLeft', 'PageUp'].map(presenterAction)).toEqual(['prev-case', 'prev-case']);
    expect(['ArrowDown', 'j', 'ArrowUp', 'k'].map(presenterAction)).toEqual(['next-therapy', 'next-therapy', 'prev-therapy', 'prev-therapy']);
    expect(['n', 'N', 'd', 'Escape', 'x'].map(presenterAction)).toEqual(['network', 'network', 'decision', 'exit', undefined]);
  });
});

const summary = (id: string, tumourType: string, labels: Array<[string, string]>): CaseSummary => ({
  id,
  tumourType,
  status: 'prepared',
  createdAt: '',
  updatedAt: '',
  alterations: labels.map(([gene, label]) => ({ gene, label, key: `${gene}:x` })),
  top: [],
});

describe('case search', () => {
  const crc = summary('MTB-7', 'COADREAD', [['KRAS', 'KRAS G12D']]);
  it('finds a case by id, gene, alteration or tumour type, case-insensitively', () => {
    expect(matchesSearch(crc, 'mtb-7')).toBe(true);
    expect(matchesSearch(crc, 'kras')).toBe(true);
    expect(matchesSearch(crc, 'G12D')).toBe(true);
    expect(matchesSearch(crc, 'coad kras')).toBe(true);
    expect(matchesSearch(crc, 'egfr')).toBe(false);
    expect(matchesSearch(crc, '  ')).toBe(true);
  });
  it("shows today's meeting first, else the next, else the latest", () => {
    const m = (id: string, date: string) => ({ id, date, board: 'b', attendees: [], agenda: [], createdAt: date });
    const list = [m('a', '2025-01-01'), m('b', '2025-03-01'), m('c', '2025-02-01')];
    expect(defaultMeeting(list, '2025-02-01')?.id).toBe('c');
    expect(defaultMeeting(list, '2025-02-15')?.id).toBe('b');
    expect(defaultMeeting(list, '2025-06-01')?.id).toBe('b');
    expect(defaultMeeting([], '2025-06-01')).toBeUndefined();
  });
});

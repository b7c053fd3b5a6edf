/** Labels of the evidence network (client/src/network/EvidenceNetwork.tsx): they fit between columns and stay distinct. */
import { describe, expect, it } from 'vitest';
import { labelPlace, truncateMiddle } from '../../../client/src/network/EvidenceNetwork.tsx';
import { columnSpacing } from '../../../client/src/network/layout.ts';

describe('network labels', () => {
  const width = 1000;
  const fontSize = 20;
  const node = (column: number, x: number) => ({ column, x, y: 100, r: 8 });

  it('cuts a middle column label to the room before the next column, at the size it is drawn', () => {
    const at = labelPlace(node(2, 600), width, fontSize, false, 30);
    expect(at.anchor).toBe('start');
    // what is drawn, at 0.6 em a character, ends before the next column's node
    expect(at.chars * fontSize * 0.6).toBeLessThanOrEqual(columnSpacing(width) - 2 * (8 + 4));
    expect(at.chars).toBeGreaterThanOrEqual(6);
    // a focused node shows its whole label
    expect(labelPlace(node(2, 600), width, fontSize, true, 30).chars).toBe(80);
  });

  it('puts a therapy label below its node when the room to the right is too short, centred and within the drawing', () => {
    const at = labelPlace(node(3, width - 130), width, fontSize, false, 30);
    expect(at.anchor).toBe('middle');
    expect(at.y).toBeGreaterThan(100);
    expect((at.chars * fontSize * 0.6) / 2).toBeLessThanOrEqual(130);
    // with room enough (small type), it stays to the right
    expect(labelPlace(node(3, width - 200), width, 6, false, 30).anchor).toBe('start');
  });

  it('keeps the alteration labels to the left of their nodes', () => {
    expect(labelPlace(node(0, 180), width, fontSize, false, 30)).toMatchObject({ anchor: 'end', x: 180 - 12 });
  });

  it('cuts evidence ids in the middle, so that ids of one gene and drug stay distinct', () => {
    const ids = ['EGFR-sens-osimertinib-FLAURA', 'EGFR-sens-osimertinib-ADAURA', 'EGFR-sens-osimertinib-LAURA'];
    const cut = ids.map((id) => truncateMiddle(id, 16));
    expect(new Set(cut).size).toBe(3);
    for (const c of cut) expect(c.length).toBe(16);
    expect(cut[0]).toBe('EGFR-s…ib-FLAURA');
    expect(truncateMiddle('short', 16)).toBe('short');
  });
});

import { describe, expect, it } from 'vitest';
import { labelledText } from '../../../server/domain/label-text.ts';

const CHECK = "check the label's setting, line and partner drugs.";

describe('labelledText', () => {
  it('names the labeller, the drug and the labelled tumour type (with its name when one is given), and sends the board to the label', () => {
    const tmz = [{ drug: 'temozolomide', agency: 'FDA' as const, tumour: 'GB' }];
    expect(labelledText(tmz)).toBe(`On-label: the FDA label of temozolomide names GB without asking for a biomarker; ${CHECK}`);
    expect(labelledText(tmz, (c) => (c === 'GB' ? 'Glioblastoma' : undefined))).toBe(
      `On-label: the FDA label of temozolomide names Glioblastoma (GB) without asking for a biomarker; ${CHECK}`,
    );
  });

  it('speaks of the EU label for EMA: central or national, as the knowledge base means it', () => {
    expect(labelledText([{ drug: 'doxorubicin', agency: 'EMA', tumour: 'BRCA' }])).toBe(
      `On-label: the EU label of doxorubicin names BRCA without asking for a biomarker; ${CHECK}`,
    );
  });

  it('speaks of labels in the plural for a combination, each drug with its own tumour type when they differ', () => {
    expect(labelledText([{ drug: 'a', agency: 'FDA', tumour: 'COADREAD' }, { drug: 'b', agency: 'FDA', tumour: 'COADREAD' }, { drug: 'c', agency: 'FDA', tumour: 'COADREAD' }])).toBe(
      "On-label: the FDA labels of a, b and c name COADREAD without asking for a biomarker; check the labels' setting, line and partner drugs.",
    );
    expect(labelledText([{ drug: 'a', agency: 'FDA', tumour: 'GB' }, { drug: 'b', agency: 'FDA', tumour: 'ASTR' }])).toBe(
      "On-label: the FDA labels of a (GB) and b (ASTR) name this tumour type without asking for a biomarker; check the labels' setting, line and partner drugs.",
    );
  });
});

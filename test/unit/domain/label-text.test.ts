import { describe, expect, it } from 'vitest';
import { labelledText } from '../../../server/domain/label-text.ts';

describe('labelledText', () => {
  it('names the agency, the drug and the labelled tumour type, with its name when one is given', () => {
    const tmz = [{ drug: 'temozolomide', agency: 'EMA' as const, tumour: 'GB' }];
    expect(labelledText(tmz)).toBe('On-label: the EMA label of temozolomide covers GB without requiring a biomarker.');
    expect(labelledText(tmz, (c) => (c === 'GB' ? 'Glioblastoma' : undefined))).toBe('On-label: the EMA label of temozolomide covers Glioblastoma (GB) without requiring a biomarker.');
  });

  it('speaks of labels in the plural for a combination, each drug with its own tumour type when they differ', () => {
    expect(labelledText([{ drug: 'a', agency: 'FDA', tumour: 'COADREAD' }, { drug: 'b', agency: 'FDA', tumour: 'COADREAD' }])).toBe(
      'On-label: the FDA labels of a and b cover COADREAD without requiring a biomarker.',
    );
    expect(labelledText([{ drug: 'a', agency: 'FDA', tumour: 'GB' }, { drug: 'b', agency: 'FDA', tumour: 'ASTR' }])).toBe(
      'On-label: the FDA labels of a (GB) and b (ASTR) cover this tumour type without requiring a biomarker.',
    );
  });
});

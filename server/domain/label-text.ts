/**
 * Why a therapy is on-label when its labels are the reason (RankedTherapy.labelled: each drug labelled by the agency
 * for a tumour type holding the profile's, without a biomarker), as the board screen and the reports say it. Pure,
 * shared by server and client.
 */
import type { TherapyLabel } from './result.ts';

/**
 * "On-label: the FDA label of temozolomide covers GB without requiring a biomarker."; for a combination, each drug's
 * label ("the FDA labels of a (GB) and b (ASTR) cover ..."). `name` gives a tumour type's name to show beside its code.
 */
export function labelledText(labelled: readonly TherapyLabel[], name: (code: string) => string | undefined = () => undefined): string {
  const tumour = (code: string) => {
    const n = name(code);
    return n && n !== code ? `${n} (${code})` : code;
  };
  const agencies = [...new Set(labelled.map((l) => l.agency))].join(' and ');
  const codes = new Set(labelled.map((l) => l.tumour));
  if (labelled.length === 1 || codes.size === 1) {
    const drugs = labelled.map((l) => l.drug).join(' and ');
    return `On-label: the ${agencies} label${labelled.length > 1 ? 's' : ''} of ${drugs} ${labelled.length > 1 ? 'cover' : 'covers'} ${tumour(labelled[0]!.tumour)} without requiring a biomarker.`;
  }
  const each = labelled.map((l) => `${l.drug} (${tumour(l.tumour)})`).join(' and ');
  return `On-label: the ${agencies} labels of ${each} cover this tumour type without requiring a biomarker.`;
}

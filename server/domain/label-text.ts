/**
 * Why a therapy is on-label when its labels are the reason (RankedTherapy.labelled: each drug labelled by the agency
 * for a tumour type holding the profile's, without a biomarker), as the board screen and the reports say it. Pure,
 * shared by server and client. A label names a disease, not a line: the sentence sends the board to the label for its
 * setting, line and partner drugs (pemetrexed alone after chemotherapy, say), which mtbnet does not model.
 */
import type { TherapyLabel } from './result.ts';

/** The agency as a label's reader knows it: `EMA` in the knowledge base means authorised in the EU, centrally or nationally. */
const LABELLER: Record<TherapyLabel['agency'], string> = { FDA: 'FDA', EMA: 'EU' };

/** "a", "a and b", "a, b and c". */
function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * "On-label: the FDA label of temozolomide names GB without asking for a biomarker; check the label's setting, line
 * and partner drugs."; for a combination, each drug's label ("the FDA labels of a (GB) and b (ASTR) name ..."). `name`
 * gives a tumour type's name to show beside its code.
 */
export function labelledText(labelled: readonly TherapyLabel[], name: (code: string) => string | null | undefined = () => undefined): string {
  const tumour = (code: string) => {
    const n = name(code);
    return n && n !== code ? `${n} (${code})` : code;
  };
  const agencies = list([...new Set(labelled.map((l) => LABELLER[l.agency]))]);
  const codes = new Set(labelled.map((l) => l.tumour));
  const plural = labelled.length > 1;
  const what =
    codes.size === 1
      ? `the ${agencies} label${plural ? 's' : ''} of ${list(labelled.map((l) => l.drug))} ${plural ? 'name' : 'names'} ${tumour(labelled[0]!.tumour)}`
      : `the ${agencies} labels of ${list(labelled.map((l) => `${l.drug} (${tumour(l.tumour)})`))} name this tumour type`;
  return `On-label: ${what} without asking for a biomarker; check ${plural ? 'the labels\'' : 'the label\'s'} setting, line and partner drugs.`;
}

/**
 * Table column names as every reader compares them: case, spaces, `_`, `.`, `-`, quotes and a leading `#` aside, so
 * that `Tumor_Sample_Barcode`, `tumor sample barcode` and `#Tumor.Sample.Barcode` are one column. Plain strings, no
 * Node APIs: the server's table readers (server/profile/table.ts) and the board's intake (client/src/profile-input.ts).
 */
export const columnKey = (s: string): string => s.trim().replace(/^#/, '').replace(/^"|"$/g, '').toLowerCase().replace(/[\s_.'’-]+/g, '');

/** The MAF column naming each row's tumour sample, by any of the names the MAF reader accepts (in its order). */
export const MAF_SAMPLE_COLUMNS = ['Tumor_Sample_Barcode', 'Sample_ID', 'sample'] as const;

/** Does a header of these column names name MAF columns: Hugo_Symbol, and a barcode, classification or protein column? */
export function isMafHeader(columns: readonly string[]): boolean {
  const keys = columns.map(columnKey);
  return keys.includes(columnKey('Hugo_Symbol')) && ['Tumor_Sample_Barcode', 'Variant_Classification', 'HGVSp_Short'].some((c) => keys.includes(columnKey(c)));
}

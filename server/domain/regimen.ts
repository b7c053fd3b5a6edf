/**
 * The partner drugs a study gave a therapy with (`backbone` on an evidence
 * item), as the board screen and the reports say it. Pure, shared by server and client.
 */

/** The alternatives: "docetaxel", "cisplatin + capecitabine or cisplatin + fluorouracil". */
export function backboneDrugs(backbone: readonly (readonly string[])[]): string {
  return backbone.map((alt) => alt.join(' + ')).join(' or ');
}

/** "given with docetaxel in the study", "given with cisplatin + capecitabine or cisplatin + fluorouracil in the study". */
export function backboneText(backbone: readonly (readonly string[])[]): string {
  return `given with ${backboneDrugs(backbone)} in the study`;
}

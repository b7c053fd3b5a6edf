/**
 * The partner drugs a study gave a therapy with (`backbone` on an evidence
 * item), as the board screen and the reports say it. Pure, shared by server and client.
 */

/** "given with docetaxel in the study", "given with cisplatin + capecitabine or cisplatin + fluorouracil in the study". */
export function backboneText(backbone: readonly (readonly string[])[]): string {
  return `given with ${backbone.map((alt) => alt.join(' + ')).join(' or ')} in the study`;
}

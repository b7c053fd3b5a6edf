/**
 * How an alteration's driver annotation reads on the board's screens and in
 * the reports. Pure, shared by server and client.
 *
 * A status result (MSI-H or MSS, MGMT promoter methylated or not, an
 * expression result such as HER2 IHC 1+ or PSMA-positive) is a finding either
 * way, not a variant: it reads "predictive status" when its value is one the
 * knowledge base acts on (driver class oncogenic or likely: MSI-H, dMMR, high
 * TMB, HRD positive, promoter methylation or an expression level where the
 * gene's file lists it; see classify-driver.ts) and "status result" otherwise,
 * never "oncogenic" or "of unknown significance". The scoring's driver class
 * is unchanged.
 */

/** A status result (MSI-H or MSS, MGMT methylated or not, HER2-low): a finding either way, not a variant of some significance. */
export const isStatusResult = (a: { kind: string }): boolean => a.kind === 'signature' || a.kind === 'methylation' || a.kind === 'expression';

const VARIANT_TEXT: Record<string, string> = { oncogenic: 'oncogenic', likely: 'likely oncogenic', unknown: 'unknown significance' };

/** "oncogenic", "likely oncogenic", "unknown significance"; "predictive status" or "status result" for a status result. */
export function driverText(a: { kind: string; driver: string }): string {
  if (isStatusResult(a)) return a.driver === 'unknown' ? 'status result' : 'predictive status';
  return VARIANT_TEXT[a.driver] ?? a.driver;
}

/** The class a screen styles the annotation with: the driver class, or `status` for a status result. */
export function driverStyle(a: { kind: string; driver: string }): string {
  return isStatusResult(a) ? 'status' : a.driver;
}

/**
 * BGZF, what bgzip writes (the usual form of a clinical .vcf.gz): gzip members of at most 64 KB, each saying its
 * size in a BC extra field, then an empty end-of-file block (SAM/BAM format specification, 4.1). Plain bytes, no
 * Node APIs: the server's readers (server/profile/io.ts) and the board's intake (client/src/Intake.tsx) both use it.
 */

/** The empty block that ends every BGZF file. */
export const BGZF_EOF: readonly number[] = [31, 139, 8, 4, 0, 0, 0, 0, 0, 255, 6, 0, 66, 67, 2, 0, 27, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/** Does a BGZF block's header start at `at`: gzip with FLG.FEXTRA, XLEN 6, the subfield B C of length 2? */
export function isBgzfHeader(bytes: Uint8Array, at = 0): boolean {
  return (
    at + 18 <= bytes.length && bytes[at] === 31 && bytes[at + 1] === 139 && bytes[at + 2] === 8 && (bytes[at + 3]! & 4) !== 0 &&
    bytes[at + 10] === 6 && bytes[at + 11] === 0 && bytes[at + 12] === 66 && bytes[at + 13] === 67 && bytes[at + 14] === 2 && bytes[at + 15] === 0
  );
}

/** Is this exactly the end-of-file block? */
export const isBgzfEof = (bytes: Uint8Array): boolean => bytes.length === BGZF_EOF.length && bytes.every((b, i) => b === BGZF_EOF[i]);

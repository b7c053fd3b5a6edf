/**
 * BGZF (what bgzip writes, the usual form of a clinical .vcf.gz): gzip members of at most 64 KB, each saying its
 * size in a BC extra field, then an empty end-of-file block. Built here, so that a test can give a reader small
 * blocks (several members in a small file) without a bgzip binary.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { BGZF_EOF } from '../../server/domain/bgzf.ts';

const EOF_BLOCK = Buffer.from(BGZF_EOF);

export function bgzf(text: string, blockBytes = 65_280): Buffer {
  const data = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += blockBytes) {
    const chunk = data.subarray(at, at + blockBytes);
    const deflated = deflateRawSync(chunk);
    // ID1 ID2 CM FLG=FEXTRA MTIME XFL OS XLEN=6, subfield B C SLEN=2 BSIZE
    const header = Buffer.from([31, 139, 8, 4, 0, 0, 0, 0, 0, 255, 6, 0, 66, 67, 2, 0, 0, 0]);
    header.writeUInt16LE(header.length + deflated.length + 8 - 1, 16);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(chunk), 0);
    trailer.writeUInt32LE(chunk.length, 4);
    parts.push(header, deflated, trailer);
  }
  parts.push(EOF_BLOCK);
  return Buffer.concat(parts);
}

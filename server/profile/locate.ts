/**
 * Coordinate matching for unannotated VCF / MAF records: a `locate` callback
 * (see ReadOptions.locate) built from variants that carry genomic coordinates
 * (knowledge-base variants, a hotspot list). Both sides are normalised the
 * same way before comparing: `chr` prefix dropped, `M` -> `MT`, alleles
 * trimmed to their minimal representation (common suffix, then common prefix,
 * as in vt normalize / bcftools norm without a reference), so an anchored VCF
 * indel matches a KB entry written without the anchor base.
 */
import type { GenomeBuild, LocateVariant } from './types.ts';

export interface CoordinateVariant {
  gene: string;
  /** Protein change, as the domain parser reads it (`V600E`, `p.Gly12Asp`, `E746_A750del`). */
  change: string;
  build: GenomeBuild;
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
}

/** The minimal representation of a variant: `{chrom, pos, ref, alt}` with `-` for an empty allele. */
export function normaliseVariant(chrom: string, pos: number, ref: string, alt: string): { chrom: string; pos: number; ref: string; alt: string } {
  let c = String(chrom).trim().replace(/^chr/i, '').toUpperCase();
  if (c === 'M') c = 'MT';
  let r = ref === '-' || ref === '.' ? '' : ref.toUpperCase();
  let a = alt === '-' || alt === '.' ? '' : alt.toUpperCase();
  let p = pos;
  while (r.length > 0 && a.length > 0 && r.at(-1) === a.at(-1) && (r.length > 1 || a.length > 1)) {
    r = r.slice(0, -1);
    a = a.slice(0, -1);
  }
  while (r.length > 0 && a.length > 0 && r[0] === a[0]) {
    r = r.slice(1);
    a = a.slice(1);
    p++;
  }
  return { chrom: c, pos: p, ref: r || '-', alt: a || '-' };
}

const keyOf = (build: string, v: { chrom: string; pos: number; ref: string; alt: string }) => `${build}\t${v.chrom}\t${v.pos}\t${v.ref}\t${v.alt}`;

/**
 * A locate callback over known variants. When the record's build is unknown,
 * a match in either build is accepted only if it is unambiguous.
 */
export function createCoordinateLocator(variants: Iterable<CoordinateVariant>): LocateVariant & { size: number } {
  const index = new Map<string, { gene: string; change: string }>();
  for (const v of variants) index.set(keyOf(v.build, normaliseVariant(v.chrom, v.pos, v.ref, v.alt)), { gene: v.gene, change: v.change });
  const locate = ((chrom: string, pos: number, ref: string, alt: string, build: GenomeBuild | undefined) => {
    const n = normaliseVariant(chrom, pos, ref, alt);
    if (build) return index.get(keyOf(build, n));
    const a = index.get(keyOf('GRCh37', n));
    const b = index.get(keyOf('GRCh38', n));
    if (a && b && (a.gene !== b.gene || a.change !== b.change)) return undefined;
    return a ?? b;
  }) as LocateVariant & { size: number };
  Object.defineProperty(locate, 'size', { value: index.size });
  return locate;
}

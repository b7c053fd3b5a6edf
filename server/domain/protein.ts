/**
 * Protein-change notation (HGVS p. subset used in clinical reports).
 *
 * Parses one- and three-letter amino-acid notation, with or without `p.` and
 * parentheses, into a structured change, and prints the canonical one-letter
 * form used in alteration keys (`V600E`, `R213*`, `L747fs`, `E746_A750del`,
 * `D770_N771insSVD`, `A767_V769dup`, `L747_P753delinsS`, `X1010_splice`,
 * `exon14skip`, the exon-level in-frame indels `exon19del`, `exon20ins`, and `ITD`, an
 * internal tandem duplication whose residues the report does not give). Reference: HGVS protein nomenclature, varnomen.hgvs.org.
 */

const THREE_TO_ONE: Record<string, string> = {
  ala: 'A', arg: 'R', asn: 'N', asp: 'D', cys: 'C', gln: 'Q', glu: 'E', gly: 'G',
  his: 'H', ile: 'I', leu: 'L', lys: 'K', met: 'M', phe: 'F', pro: 'P', ser: 'S',
  thr: 'T', trp: 'W', tyr: 'Y', val: 'V', sec: 'U', pyl: 'O', ter: '*', xaa: 'X',
};
const ONE_LETTER = new Set('ACDEFGHIKLMNPQRSTVWYUOX*'.split(''));

export type ProteinChangeType =
  | 'missense'
  | 'nonsense'
  | 'synonymous'
  | 'frameshift'
  | 'deletion'
  | 'insertion'
  | 'duplication'
  | 'delins'
  | 'extension'
  | 'splice'
  | 'exon-skipping'
  | 'start-lost';

export interface ProteinChange {
  type: ProteinChangeType;
  /** Reference residue at the first position (one letter), when known. */
  ref?: string;
  /** First affected residue (1-based). Undefined for exon-level events. */
  pos?: number;
  endRef?: string;
  endPos?: number;
  /** Alternative residue(s): one letter for missense, the inserted sequence for ins / delins. */
  alt?: string;
  /** For exon-level events (`exon 14 skipping`, `exon 19 deletion`, `exon 20 insertion`): no `pos`. */
  exon?: number;
  /**
   * An internal tandem duplication reported without residues (`FLT3 ITD`), as labs report FLT3-ITD
   * from fragment analysis: an in-frame duplication (no `pos`) that lies in the domain the gene file
   * names under `itd` (FLT3: the juxtamembrane domain).
   */
  itd?: true;
  /** Canonical one-letter form, without `p.`. */
  canonical: string;
}

/** Residue classes that lose the protein product: used by loss-of-function criteria. */
export const TRUNCATING: ReadonlySet<ProteinChangeType> = new Set(['nonsense', 'frameshift', 'splice', 'start-lost']);

/** Convert a residue token (`Val`, `V`, `Ter`, `*`, `X`) to one letter, or undefined. */
export function oneLetter(token: string): string | undefined {
  if (token.length === 1) {
    const up = token.toUpperCase();
    return ONE_LETTER.has(up) ? up : undefined;
  }
  if (token.length === 3) return THREE_TO_ONE[token.toLowerCase()];
  return undefined;
}

/** Convert a run of residues (`SerValAsp` or `SVD`) to one-letter letters, or undefined. */
function residues(seq: string): string | undefined {
  if (seq === '') return '';
  if (/^([A-Z][a-z]{2})+$/.test(seq)) {
    let out = '';
    for (let i = 0; i < seq.length; i += 3) {
      const aa = oneLetter(seq.slice(i, i + 3));
      if (!aa) return undefined;
      out += aa;
    }
    return out;
  }
  const up = seq.toUpperCase();
  for (const ch of up) if (!ONE_LETTER.has(ch)) return undefined;
  return up;
}

const AA = '(?:[A-Z][a-z]{2}|[A-Za-z*])';
const RES = `(${AA})(\\d+)`;
const RANGE = `${RES}(?:_${RES})?`;

const PATTERNS: Array<{ re: RegExp; build: (m: RegExpMatchArray) => ProteinChange | undefined }> = [
  // Substitutions first: by far the most common, and the anchored pattern cannot match the other forms.
  // V600E, Val600Glu, R213*, Arg213Ter, R213X (X as stop in older reports), V600=
  {
    re: new RegExp(`^${RES}(${AA}|=)$`),
    build: (m) => {
      const ref = oneLetter(m[1]!);
      const pos = Number(m[2]);
      if (!ref || pos < 1) return undefined;
      const rawAlt = m[3]!;
      if (rawAlt === '=') return { type: 'synonymous', ref, pos, alt: ref, canonical: `${ref}${pos}=` };
      let alt = oneLetter(rawAlt);
      if (!alt) return undefined;
      // "R213X": a single-letter X after a residue is read as a stop codon, as many lab reports write it.
      if (alt === 'X' && rawAlt.length === 1) alt = '*';
      if (alt === '*') return { type: 'nonsense', ref, pos, alt, canonical: `${ref}${pos}*` };
      if (alt === ref) return { type: 'synonymous', ref, pos, alt, canonical: `${ref}${pos}=` };
      return { type: 'missense', ref, pos, alt, canonical: `${ref}${pos}${alt}` };
    },
  },
  // exon-level events: "exon 14 skipping", "exon14skip"
  {
    re: /^exon\s*(\d+)\s*skip(?:ping)?$/i,
    build: (m) => ({ type: 'exon-skipping', exon: Number(m[1]), canonical: `exon${Number(m[1])}skip` }),
  },
  // exon-level in-frame deletions / insertions: "exon 19 deletion", "exon19del", "exon 20 insertion", "exon20ins"
  {
    re: /^exon\s*(\d+)\s*(?:in-?frame\s*)?(del(?:etion)?s?|ins(?:ertion)?s?)$/i,
    build: (m) => {
      const exon = Number(m[1]);
      if (exon < 1) return undefined;
      const del = m[2]!.toLowerCase().startsWith('del');
      return { type: del ? 'deletion' : 'insertion', exon, canonical: `exon${exon}${del ? 'del' : 'ins'}` };
    },
  },
  // internal tandem duplication without residues: "ITD", "internal tandem duplication" (spaces are removed before matching)
  {
    re: /^(?:itd|internaltandemduplications?)$/i,
    build: () => ({ type: 'duplication', itd: true, canonical: 'ITD' }),
  },
  // splice: X1010_splice, 1010+1G>A style is not a protein change; "splice" alone
  {
    re: new RegExp(`^(?:${RES})?_?splice(?:\\s*site)?$`, 'i'),
    build: (m) => {
      const ref = m[1] ? oneLetter(m[1]) : undefined;
      const pos = m[2] ? Number(m[2]) : undefined;
      return { type: 'splice', ref, pos, canonical: pos !== undefined ? `${ref ?? 'X'}${pos}_splice` : 'splice' };
    },
  },
  // frameshift: L747fs, L747Ffs*3, Leu747PhefsTer3, L747fs*?
  {
    re: new RegExp(`^${RES}(?:${AA})?fs(?:\\*|Ter)?(?:\\d+|\\?)?$`),
    build: (m) => residueChange('frameshift', m, (ref, pos) => `${ref}${pos}fs`),
  },
  // delins: L747_P753delinsS, E746_S752delinsV
  {
    re: new RegExp(`^${RANGE}delins((?:${AA})+)$`),
    build: (m) => rangeChange('delins', m, residues(m[5]!)),
  },
  // deletion: E746_A750del, L747del (optionally with deleted residues spelled out)
  {
    re: new RegExp(`^${RANGE}del(?:[A-Za-z*]*)$`),
    build: (m) => rangeChange('deletion', m),
  },
  // insertion: D770_N771insSVD
  {
    re: new RegExp(`^${RES}_${RES}ins((?:${AA})+|\\d+)$`),
    build: (m) => rangeChange('insertion', m, /^\d+$/.test(m[5]!) ? 'X'.repeat(Number(m[5])) : residues(m[5]!)),
  },
  // duplication: A767_V769dup, S768dup
  {
    re: new RegExp(`^${RANGE}dup(?:[A-Za-z*]*)$`),
    build: (m) => rangeChange('duplication', m),
  },
  // extension: *1342Qext*? — rare; keep the start
  {
    re: new RegExp(`^(\\*|Ter)(\\d+)(${AA})?ext.*$`),
    build: (m) => ({ type: 'extension', ref: '*', pos: Number(m[2]), canonical: `*${Number(m[2])}ext` }),
  },
  // start lost: M1? / Met1?
  {
    re: new RegExp(`^(M|Met)1(\\?|0)$`),
    build: () => ({ type: 'start-lost', ref: 'M', pos: 1, canonical: 'M1?' }),
  },
];

function residueChange(
  type: ProteinChangeType,
  m: RegExpMatchArray,
  print: (ref: string, pos: number) => string,
): ProteinChange | undefined {
  const ref = oneLetter(m[1]!);
  const pos = Number(m[2]);
  if (!ref || pos < 1) return undefined;
  return { type, ref, pos, canonical: print(ref, pos) };
}

function rangeChange(type: ProteinChangeType, m: RegExpMatchArray, inserted?: string): ProteinChange | undefined {
  const ref = oneLetter(m[1]!);
  const pos = Number(m[2]);
  if (!ref || pos < 1) return undefined;
  let endRef: string | undefined;
  let endPos: number | undefined;
  if (m[3] !== undefined) {
    endRef = oneLetter(m[3]);
    endPos = Number(m[4]);
    if (!endRef || endPos < pos) return undefined;
  }
  if ((type === 'delins' || type === 'insertion') && (inserted === undefined || inserted === '')) return undefined;
  const span = endPos !== undefined ? `${ref}${pos}_${endRef}${endPos}` : `${ref}${pos}`;
  const suffix = type === 'deletion' ? 'del' : type === 'duplication' ? 'dup' : type === 'insertion' ? `ins${inserted}` : `delins${inserted}`;
  return { type, ref, pos, endRef, endPos, alt: inserted, canonical: `${span}${suffix}` };
}

/**
 * Parse a protein change. Returns undefined when the text is not a protein
 * change we understand; callers turn that into an error naming the field.
 */
export function parseProteinChange(text: string): ProteinChange | undefined {
  const hit = memo.get(text);
  if (hit !== undefined || memo.has(text)) return hit;
  const parsed = parse(text);
  // Cohort files repeat the same changes (p.G12D, p.V600E) thousands of times; results are never mutated.
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(text, parsed === undefined ? undefined : Object.freeze(parsed));
  return parsed === undefined ? undefined : memo.get(text);
}

const MEMO_LIMIT = 50_000;
const memo = new Map<string, ProteinChange | undefined>();

function parse(text: string): ProteinChange | undefined {
  let s = text.trim();
  if (s === '') return undefined;
  s = s.replace(/^p\./i, '');
  if (s.startsWith('(') && s.endsWith(')')) s = s.slice(1, -1).replace(/^p\./i, '');
  s = s.replace(/\s+/g, s.match(/^exon/i) ? ' ' : '');
  for (const { re, build } of PATTERNS) {
    const m = s.match(re);
    if (m) return build(m);
  }
  return undefined;
}

/** Last residue position touched by a change (for ranges: the end). */
export function lastPosition(change: ProteinChange): number | undefined {
  return change.endPos ?? change.pos;
}

/**
 * The profile formats the readers know, and which reader a text is for (from its first lines and its file name).
 * Plain strings, no Node APIs: the server's readers (server/profile/index.ts) and the board's intake
 * (client/src/profile-input.ts, which lists the samples of a file holding several) tell a format by one rule.
 */
import { isMafHeader, looksLikeCopyNumber, looksLikeFusions, looksLikePartnerColumns, makeHeader } from './columns.ts';

export type ProfileFormat = 'json' | 'jsonl' | 'text' | 'vcf' | 'maf' | 'cnv' | 'fusion';
export const PROFILE_FORMATS: readonly ProfileFormat[] = ['json', 'jsonl', 'text', 'vcf', 'maf', 'cnv', 'fusion'];

const EXTENSIONS: Array<[RegExp, ProfileFormat]> = [
  [/\.vcf$/i, 'vcf'],
  [/\.maf$/i, 'maf'],
  [/\.(jsonl|ndjson)$/i, 'jsonl'],
  [/\.json$/i, 'json'],
  [/\.(cna|cnv|cns|cnr|copynumber|copy_number)(\.(tsv|txt|csv))?$/i, 'cnv'],
  [/(fusion|fusions|star-fusion|arriba)[^/\\]*\.(tsv|txt|csv)$/i, 'fusion'],
  [/\.(cna|cnv)\.[^.]+$/i, 'cnv'],
];

/**
 * Which reader to use, from the first lines of the (decompressed) content and
 * the file name. Content wins over the name where they disagree, except that
 * a `.vcf` / `.maf` / `.json(l)` name decides between look-alikes.
 */
export function detectFormat(head: string, filename?: string): ProfileFormat {
  const name = (filename ?? '').replace(/\.(gz|bgz|gzip)$/i, '');
  const text = head.replace(/^\uFEFF/, '');
  const firstLines = text.split(/\r?\n/).slice(0, 50);
  const first = firstLines.find((l) => l.trim() !== '') ?? '';
  if (/^##fileformat=VCF/.test(first) || /^#CHROM\tPOS\tID/.test(first)) return 'vcf';
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    if (/\.(jsonl|ndjson)$/i.test(name)) return 'jsonl';
    if (trimmed.startsWith('{')) {
      const lines = firstLines.filter((l) => l.trim() !== '');
      if (lines.length > 1 && lines.every((l) => l.trim().startsWith('{'))) {
        try {
          JSON.parse(lines[0]!);
          return 'jsonl';
        } catch {
          /* a pretty-printed object */
        }
      }
    }
    return 'json';
  }
  const byName = EXTENSIONS.find(([re]) => re.test(name))?.[1];
  if (byName === 'vcf' || byName === 'json' || byName === 'jsonl') return byName;
  const header = firstLines.find((l) => l.trim() !== '' && !/^#(?!gene1|FusionName|fusion)/i.test(l) && !/^#version/i.test(l)) ?? '';
  const headerWithHash = firstLines.find((l) => /^#(gene1|FusionName|fusion)/i.test(l));
  if (headerWithHash && looksLikeFusions(headerWithHash)) return 'fusion';
  if (isMafHeader(makeHeader(header, 1).columns) || /^#version 2\./.test(first)) return 'maf';
  // A space-separated first line is a fusion table's header only with its partner columns (gene1 gene2):
  // "ALK fusion" and "EML4::ALK fusion" are text profiles, not a table with a "fusion" column.
  if (looksLikeFusions(header) && (/[\t,]/.test(header) || looksLikePartnerColumns(header))) return 'fusion';
  if (looksLikeCopyNumber(header)) return 'cnv';
  if (byName) return byName;
  return 'text';
}

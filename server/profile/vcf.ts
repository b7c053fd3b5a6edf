/**
 * VCF reader (VCF 4.x, samtools.github.io/hts-specs): streams the records of
 * a (gzipped) VCF with @gmod/vcf and turns annotated variants into mutations.
 *
 * - Ensembl VEP `CSQ` and snpEff `ANN` annotations give gene and protein
 *   change; per record and alternative allele the MANE Select transcript is
 *   preferred, then the CANONICAL one, then VEP's PICK, else the most severe
 *   consequence (Sequence Ontology order as VEP ranks it).
 * - Multi-sample files give one profile per sample that carries a non-reference
 *   genotype (samples with none, typically the matched normal, are dropped with a warning).
 * - Records without annotation are counted; an optional `locate` callback can
 *   place them by coordinates on knowledge-base variants (GRCh37 / GRCh38,
 *   declared by `##reference` / `##contig` lengths or detected).
 * - Records failing FILTER and consequences that do not change the protein
 *   (synonymous, intronic, UTR, intergenic) are skipped and counted.
 */
import VCFParser, { type Variant } from '@gmod/vcf';
import { InvalidInputError } from '../domain/errors.ts';
import { GENE_SYMBOL } from '../domain/alteration.ts';
import { parseProteinChange } from '../domain/protein.ts';
import { ProfileBuilder, checkTumourType, finishProfile, toCaseId } from './builder.ts';
import type { OpenedSource } from './io.ts';
import type { GenomeBuild, ReadOptions, ReadResult } from './types.ts';

const MODULE = 'profile/vcf';

/** Sequence Ontology consequences, most severe first (Ensembl VEP's ranking; snpEff terms added at their rank). */
export const CONSEQUENCE_ORDER = [
  'transcript_ablation',
  'exon_loss_variant',
  'splice_acceptor_variant',
  'splice_donor_variant',
  'stop_gained',
  'frameshift_variant',
  'stop_lost',
  'start_lost',
  'initiator_codon_variant',
  'transcript_amplification',
  'feature_elongation',
  'feature_truncation',
  'inframe_insertion',
  'disruptive_inframe_insertion',
  'conservative_inframe_insertion',
  'inframe_deletion',
  'disruptive_inframe_deletion',
  'conservative_inframe_deletion',
  'missense_variant',
  'rare_amino_acid_variant',
  'protein_altering_variant',
  'splice_donor_5th_base_variant',
  'splice_region_variant',
  'splice_donor_region_variant',
  'splice_polypyrimidine_tract_variant',
  'incomplete_terminal_codon_variant',
  'start_retained_variant',
  'stop_retained_variant',
  'synonymous_variant',
  'coding_sequence_variant',
  'mature_miRNA_variant',
  '5_prime_UTR_premature_start_codon_gain_variant',
  '5_prime_UTR_variant',
  '3_prime_UTR_variant',
  'non_coding_transcript_exon_variant',
  'intron_variant',
  'NMD_transcript_variant',
  'non_coding_transcript_variant',
  'coding_transcript_variant',
  'upstream_gene_variant',
  'downstream_gene_variant',
  'TFBS_ablation',
  'TFBS_amplification',
  'TF_binding_site_variant',
  'regulatory_region_ablation',
  'regulatory_region_amplification',
  'regulatory_region_variant',
  'intergenic_region',
  'intergenic_variant',
  'sequence_variant',
] as const;
const RANK = new Map<string, number>(CONSEQUENCE_ORDER.map((c, i) => [c, i]));

/** Consequences that change the protein: these become alterations. */
export const PROTEIN_ALTERING: ReadonlySet<string> = new Set([
  'transcript_ablation',
  'exon_loss_variant',
  'splice_acceptor_variant',
  'splice_donor_variant',
  'stop_gained',
  'frameshift_variant',
  'stop_lost',
  'start_lost',
  'initiator_codon_variant',
  'inframe_insertion',
  'disruptive_inframe_insertion',
  'conservative_inframe_insertion',
  'inframe_deletion',
  'disruptive_inframe_deletion',
  'conservative_inframe_deletion',
  'missense_variant',
  'rare_amino_acid_variant',
  'protein_altering_variant',
]);

/** Chromosome lengths that differ between the builds (GRCh37 vs GRCh38 primary assembly). */
const CONTIG_LENGTHS: Record<string, Record<GenomeBuild, number>> = {
  '1': { GRCh37: 249250621, GRCh38: 248956422 },
  '2': { GRCh37: 243199373, GRCh38: 242193529 },
  '7': { GRCh37: 159138663, GRCh38: 159345973 },
  '17': { GRCh37: 81195210, GRCh38: 83257441 },
  X: { GRCh37: 155270560, GRCh38: 156040895 },
};

/** One transcript annotation, whichever tool wrote it. */
export interface TranscriptAnnotation {
  allele: string;
  consequences: string[];
  gene: string;
  transcript?: string;
  hgvsp?: string;
  exon?: number;
  canonical: boolean;
  mane: boolean;
  pick: boolean;
  /** Rank of the most severe consequence (lower is more severe). */
  rank: number;
}

/** Field layout of CSQ / ANN, from the header description. */
export interface AnnotationLayout {
  tag: 'CSQ' | 'ANN';
  fields: string[];
}

/** Read the CSQ (VEP) or ANN (snpEff) field layout from the INFO header descriptions. */
export function annotationLayouts(headerLines: string[]): AnnotationLayout[] {
  const out: AnnotationLayout[] = [];
  for (const line of headerLines) {
    const m = line.match(/^##INFO=<ID=(CSQ|ANN|vep),.*Description="([^"]*)"/);
    if (!m) continue;
    const desc = m[2]!;
    const fmt = desc.match(/Format:\s*'?([^'"]+)'?/i) ?? desc.match(/annotations?:\s*'([^']+)'/i) ?? desc.match(/'([^']+\|[^']+)'/);
    if (!fmt) continue;
    const fields = fmt[1]!.split('|').map((f) => f.trim());
    out.push({ tag: m[1] === 'ANN' ? 'ANN' : 'CSQ', fields });
  }
  return out;
}

function consequenceRank(terms: string[]): number {
  let best: number = CONSEQUENCE_ORDER.length;
  for (const t of terms) best = Math.min(best, RANK.get(t) ?? CONSEQUENCE_ORDER.length);
  return best;
}

/** Parse one CSQ / ANN entry into a TranscriptAnnotation. */
const fieldIndex = new WeakMap<AnnotationLayout, Map<string, number>>();

export function parseAnnotation(layout: AnnotationLayout, value: string): TranscriptAnnotation | undefined {
  const parts = value.split('|');
  let index = fieldIndex.get(layout);
  if (!index) {
    index = new Map();
    layout.fields.forEach((f, i) => index!.has(f.toLowerCase()) || index!.set(f.toLowerCase(), i));
    fieldIndex.set(layout, index);
  }
  const get = (...names: string[]): string => {
    for (const n of names) {
      const i = index!.get(n.toLowerCase());
      if (i !== undefined && parts[i] !== undefined && parts[i] !== '') return parts[i]!.trim();
    }
    return '';
  };
  if (layout.tag === 'ANN') {
    const consequences = get('Annotation').split('&').filter(Boolean);
    const rankField = get('Rank').match(/^(\d+)\//);
    return {
      allele: get('Allele'),
      consequences,
      gene: get('Gene_Name'),
      transcript: get('Feature_ID') || undefined,
      hgvsp: get('HGVS.p') || undefined,
      exon: rankField ? Number(rankField[1]) : undefined,
      canonical: false,
      mane: false,
      pick: false,
      rank: consequenceRank(consequences),
    };
  }
  const consequences = get('Consequence').split('&').filter(Boolean);
  const exonField = get('EXON').match(/^(\d+)\//);
  return {
    allele: get('Allele'),
    consequences,
    gene: get('SYMBOL', 'Gene_Name', 'Gene'),
    transcript: get('Feature') || undefined,
    hgvsp: get('HGVSp') || undefined,
    exon: exonField ? Number(exonField[1]) : undefined,
    canonical: /^yes$/i.test(get('CANONICAL')),
    mane: get('MANE_SELECT', 'MANE') !== '' && !/^(plus_clinical)/i.test(get('MANE')),
    pick: get('PICK') === '1',
    rank: consequenceRank(consequences),
  };
}

/** VEP writes the allele with the common leading base removed (`-` for a deletion). */
export function vepAllele(ref: string, alt: string, alts: string[]): string {
  const all = [ref, ...alts];
  const first = ref[0];
  if (all.every((a) => a.length > 0 && a[0] === first) && all.some((a) => a.length !== ref.length || a.length > 1)) {
    const trimmed = alt.slice(1);
    return trimmed === '' ? '-' : trimmed;
  }
  return alt;
}

/**
 * Transcripts whose protein numbering clinical reports and the evidence use
 * where it differs from MANE Select. BRAF: MANE Select (NM_001374258.1 /
 * ENST00000644969) is a longer isoform that numbers V600E as V640E; reports,
 * labels and trials use NM_004333 / ENST00000288602.
 */
export const CLINICAL_TRANSCRIPTS: Readonly<Record<string, readonly string[]>> = {
  BRAF: ['ENST00000288602', 'NM_004333'],
};

const unversioned = (id: string | undefined) => (id ?? '').replace(/\.\d+$/, '');

/**
 * Choose the annotation for one allele: the clinical transcript where the
 * convention differs from MANE (CLINICAL_TRANSCRIPTS), then MANE Select,
 * CANONICAL, VEP's PICK, then the most severe consequence.
 */
export function chooseAnnotation(
  annotations: TranscriptAnnotation[],
  clinical: Readonly<Record<string, readonly string[]>> = CLINICAL_TRANSCRIPTS,
): TranscriptAnnotation | undefined {
  const withGene = annotations.filter((a) => a.gene !== '');
  const pool = withGene.length > 0 ? withGene : annotations;
  const isClinical = (a: TranscriptAnnotation) => (clinical[a.gene.toUpperCase()] ?? []).includes(unversioned(a.transcript));
  const tiers = [pool.filter(isClinical), pool.filter((a) => a.mane), pool.filter((a) => a.canonical), pool.filter((a) => a.pick), pool];
  for (const tier of tiers) {
    if (tier.length === 0) continue;
    let best = tier[0]!;
    for (const a of tier) if (a.rank < best.rank) best = a;
    return best;
  }
  return undefined;
}

/** Detect the genome build from header lines (`##reference`, `##assembly`, `##contig` lengths, liftover notes) or the file name. */
export function detectBuild(headerLines: string[], filename?: string): { build?: GenomeBuild; how?: string } {
  const say = (s: string): GenomeBuild | undefined => {
    if (/grch38|hg38|b38|hs38|grch_38|\bgrc38\b/i.test(s)) return 'GRCh38';
    if (/grch37|hg19|b37|hs37d5|human_g1k_v37|grch_37|\bgrc37\b/i.test(s)) return 'GRCh37';
    return undefined;
  };
  for (const line of headerLines) {
    const m = line.match(/^##(reference|assembly|genome|genome_build|source_reference)=(.*)$/i);
    if (m) {
      const b = say(m[2]!);
      if (b) return { build: b, how: `##${m[1]} line` };
    }
  }
  for (const line of headerLines) {
    const m = line.match(/^##contig=<(.*)>$/);
    if (!m) continue;
    const id = m[1]!.match(/(?:^|,)ID=(?:chr)?([^,]+)/i)?.[1];
    const len = Number(m[1]!.match(/(?:^|,)length=(\d+)/)?.[1]);
    const asm = m[1]!.match(/(?:^|,)assembly=([^,]+)/)?.[1];
    if (asm && say(asm)) return { build: say(asm), how: '##contig assembly' };
    const known = id ? CONTIG_LENGTHS[id] : undefined;
    if (known && len) {
      if (len === known.GRCh37) return { build: 'GRCh37', how: `##contig length of chromosome ${id}` };
      if (len === known.GRCh38) return { build: 'GRCh38', how: `##contig length of chromosome ${id}` };
    }
  }
  // Liftover notes: "hg38ToHg19.over.chain" means the result is on hg19.
  for (const line of headerLines) {
    const lift = line.match(/(hg\d\d|grch3\d)to(hg\d\d|grch3\d)/i);
    if (lift) {
      const b = say(lift[2]!);
      if (b) return { build: b, how: 'liftover note in the header' };
    }
    const nr = line.match(/^##new_reference_genome=(.*)$/i);
    if (nr && say(nr[1]!)) return { build: say(nr[1]!), how: '##new_reference_genome line' };
  }
  if (filename) {
    const b = say(filename);
    if (b) return { build: b, how: 'file name' };
  }
  return {};
}

const VCF_COLUMNS = ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO'];

/** Carried alternative-allele indices (1-based) from a GT string; undefined means "no call". */
function carriedAlleles(gt: string | undefined): number[] | undefined {
  if (gt === undefined || gt === '' || gt === '.') return undefined;
  const out: number[] = [];
  for (const a of gt.split(/[/|]/)) {
    if (a === '.' || a === '') continue;
    const n = Number(a);
    if (Number.isInteger(n) && n > 0 && !out.includes(n)) out.push(n);
  }
  return out;
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** VAF of allele `alt` (1-based) for a sample: FORMAT AF, else AD, else INFO AF-like fields. */
function sampleVaf(variant: Variant, sampleData: Record<string, unknown> | undefined, alt: number, singleSample: boolean): number | undefined {
  const clean = (v: number | undefined) => (v !== undefined && v >= 0 && v <= 1 ? Math.round(v * 10000) / 10000 : undefined);
  if (sampleData) {
    const af = sampleData.AF ?? sampleData.VAF ?? sampleData.FREQ;
    if (Array.isArray(af)) {
      const raw = af[alt - 1];
      if (typeof raw === 'string' && raw.endsWith('%')) return clean(Number(raw.slice(0, -1)) / 100);
      const v = num(raw);
      if (v !== undefined) return clean(v);
    }
    const ad = sampleData.AD;
    if (Array.isArray(ad) && ad.length > alt) {
      const depths = ad.map(num);
      const total = depths.reduce<number>((s, d) => s + (d ?? 0), 0);
      const a = depths[alt];
      if (a !== undefined && total > 0) return clean(a / total);
    }
  }
  if (singleSample) {
    for (const k of ['TVAF', 'VAF', 'AF']) {
      const v = variant.INFO[k];
      if (Array.isArray(v)) {
        const x = num(v[Math.min(alt - 1, v.length - 1)]);
        if (x !== undefined) return clean(x);
      }
    }
  }
  return undefined;
}

/** The protein change to give the domain parser, from an HGVSp value (`ENSP...:p.Val600Glu`). */
export function hgvspChange(hgvsp: string | undefined): string | undefined {
  if (!hgvsp) return undefined;
  const i = hgvsp.lastIndexOf(':');
  const s = (i >= 0 ? hgvsp.slice(i + 1) : hgvsp).replace(/%3D/gi, '=').trim();
  return s === '' ? undefined : s;
}

interface SampleState {
  name: string;
  builder: ProfileBuilder;
  carried: number;
}

/**
 * Read a VCF. Profiles are yielded at the end of the file (a sample's profile
 * is complete only then); progress is reported while reading.
 */
export async function* readVcf(src: OpenedSource, options: ReadOptions = {}): AsyncGenerator<ReadResult> {
  const headerLines: string[] = [];
  let parser: VCFParser | undefined;
  let samples: string[] = [];
  let layouts: AnnotationLayout[] = [];
  let build: GenomeBuild | undefined;
  let buildHow: string | undefined;
  const states: SampleState[] = [];
  const errors: Array<{ line: number; path?: string; message: string }> = [];
  const lenient = options.lenient ?? false;
  const named = options.sampleId ?? toCaseId;
  const fileBase = (src.filename ?? '').replace(/\.(vcf|bcf|txt)(\.b?gz)?$/i, '').replace(/\.b?gz$/i, '');
  // The file's name is an id only for a VCF without sample columns (asked for then, so it is not named needlessly).
  let fileIdMemo: string | undefined;
  const fileId = () => (fileIdMemo ??= options.id !== undefined ? toCaseId(options.id, 'vcf') : fileBase !== '' ? named(fileBase, 'vcf') : 'vcf');
  const genes = options.genes;
  let records = 0;
  let filtered = 0;
  let noncoding = 0;
  let unannotated = 0;
  let located = 0;
  let unreadable = 0;
  let lastLine = 0;
  let sawFileformat = false;

  const fail = (line: number, message: string, path?: string) => {
    if (lenient) {
      states[0]?.builder.warn(`skipped: ${message}`, { line, path });
      return;
    }
    if (errors.length < 50) errors.push({ line, path, message });
  };

  for await (const { text, no } of src.lines()) {
    lastLine = no;
    if (parser === undefined) {
      if (no === 1 && !text.startsWith('##fileformat=VCF') && !text.startsWith('#CHROM')) {
        throw new InvalidInputError(`${MODULE}: not a VCF`, [
          { line: 1, path: 'header', message: `a VCF starts with "##fileformat=VCFv4.x"; this file starts with "${text.slice(0, 40)}"` },
        ]);
      }
      if (text.startsWith('##fileformat=VCF')) sawFileformat = true;
      if (text.startsWith('##')) {
        if (!/^##[A-Za-z0-9_.-]+=/.test(text)) {
          throw new InvalidInputError(`${MODULE}: bad header line`, [
            { line: no, path: 'header', message: `meta-information lines must read "##key=value"; got "${text.slice(0, 60)}"` },
          ]);
        }
        headerLines.push(text);
        continue;
      }
      if (text.startsWith('#')) {
        const cols = text.split('\t');
        for (let i = 0; i < VCF_COLUMNS.length; i++) {
          if ((cols[i] ?? '').toUpperCase() !== VCF_COLUMNS[i]) {
            throw new InvalidInputError(`${MODULE}: bad column header`, [
              {
                line: no,
                path: 'header',
                message: `the column line must be tab-separated ${VCF_COLUMNS.join(' ')} [FORMAT sample...]; column ${i + 1} is "${cols[i] ?? '(missing)'}" where ${VCF_COLUMNS[i]} was expected`,
              },
            ]);
          }
        }
        if (cols.length === 9) {
          throw new InvalidInputError(`${MODULE}: bad column header`, [{ line: no, path: 'header', message: 'a FORMAT column needs at least one sample column after it' }]);
        }
        try {
          parser = new VCFParser({ header: [...headerLines, text].join('\n'), strict: false });
        } catch (err) {
          throw new InvalidInputError(`${MODULE}: the header cannot be read`, [{ line: no, path: 'header', message: String((err as Error).message).split('\n')[0]! }]);
        }
        samples = parser.samples;
        layouts = annotationLayouts(headerLines);
        const b = options.build ? { build: options.build, how: 'option' } : detectBuild(headerLines, src.filename);
        build = b.build;
        buildHow = b.how;
        const only = options.sample;
        if (only !== undefined && !samples.includes(only)) {
          throw new InvalidInputError(`${MODULE}: no sample "${only}"`, [{ line: no, path: 'header', message: `the samples in this VCF are ${samples.join(', ') || '(none)'}` }]);
        }
        const names = samples.length === 0 ? [undefined] : only !== undefined ? [only] : samples;
        for (const name of names) {
          const id = name === undefined ? fileId() : samples.length === 1 && options.id ? options.id : named(name, options.sampleId ? 'vcf' : fileId());
          const tt = options.tumourType ?? (name !== undefined ? options.sampleTumourTypes?.get(name) : undefined);
          states.push({
            name: name ?? id,
            carried: 0,
            builder: new ProfileBuilder({ id, tumourType: checkTumourType(tt, 'tumourType', MODULE), genes, lenient, module: MODULE }),
          });
        }
        if (!sawFileformat) states[0]!.builder.warn('the "##fileformat=VCFv4.x" line is missing', { line: 1, path: 'header' });
        continue;
      }
      if (text.trim() === '') continue;
      throw new InvalidInputError(`${MODULE}: the header is truncated`, [
        { line: no, path: 'header', message: 'a data record comes before the "#CHROM POS ID REF ALT QUAL FILTER INFO" column line: the header is truncated or missing' },
      ]);
    }

    // --- a data record ---
    if (text === '' || text.startsWith('#')) continue;
    records++;
    if (options.onProgress && records % 5000 === 0) {
      options.onProgress({ records, profiles: 0, bytes: src.bytesRead(), totalBytes: src.totalBytes });
    }
    try {
      handleRecord(text, no);
    } catch (err) {
      if (err instanceof InvalidInputError) throw err;
      unreadable++;
      fail(no, `the record cannot be read: ${(err as Error).message}`);
    }
  }

  if (parser === undefined) {
    throw new InvalidInputError(`${MODULE}: the header is truncated`, [
      {
        line: Math.max(lastLine, 1),
        path: 'header',
        message: `the file ends after ${lastLine} header line${lastLine === 1 ? '' : 's'} without the "#CHROM POS ID REF ALT QUAL FILTER INFO" column line`,
      },
    ]);
  }
  if (errors.length > 0) {
    throw new InvalidInputError(`${MODULE}: ${errors.length} unreadable record${errors.length === 1 ? '' : 's'}`, errors);
  }

  // Summaries go to every profile: the lab needs them for each sample.
  const summary: string[] = [];
  if (layouts.length === 0 && records > 0) {
    summary.push(
      'this VCF carries no VEP CSQ or snpEff ANN annotation: annotate it (VEP --symbol --hgvs --canonical, or snpEff) so genes and protein changes can be read',
    );
  }
  if (unannotated + located > 0) {
    summary.push(
      `${unannotated + located} of ${records} records had no annotation${options.locate ? `; ${located} placed on knowledge-base variants by coordinates (${build ?? 'build unknown'}), ${unannotated} not placed` : ' and were not used (no coordinate matching configured)'}`,
    );
  }
  if (build === undefined && unannotated + located > 0) summary.push('genome build not declared (##reference or ##contig lengths) nor detected; coordinates were matched without a build');
  if (filtered > 0) summary.push(`${filtered} records failed FILTER and were skipped`);
  if (noncoding > 0) summary.push(`${noncoding} records do not change the protein (synonymous, intronic, UTR, intergenic) and were skipped`);

  const dropped = states.filter((s) => s.carried === 0 && states.length > 1);
  const kept = states.filter((s) => !(s.carried === 0 && states.length > 1));
  let profiles = 0;
  for (const s of kept) {
    for (const m of summary) s.builder.warn(m, { path: 'VCF' });
    if (dropped.length > 0) {
      s.builder.warn(`sample${dropped.length > 1 ? 's' : ''} ${dropped.map((d) => d.builder.options.id).join(', ')} ${dropped.length > 1 ? 'carry' : 'carries'} no variant (a matched normal?) and gave no profile`, { path: 'VCF' });
    }
    s.builder.stats.records = records;
    s.builder.stats.skipped = filtered + noncoding + unreadable;
    s.builder.stats.unannotated = unannotated;
    s.builder.stats.located = located;
    const result = finishProfile(s.builder, options.continueOnError);
    if (build) {
      result.build = build;
      result.buildSource = buildHow;
    }
    profiles++;
    yield result;
  }
  options.onProgress?.({ records, profiles, bytes: src.bytesRead(), totalBytes: src.totalBytes });

  function handleRecord(text: string, no: number): void {
    const cols = text.split('\t');
    if (cols.length < 8) {
      fail(no, `expected at least 8 tab-separated columns (CHROM POS ID REF ALT QUAL FILTER INFO), found ${cols.length}${cols.length === 1 && / {2,}/.test(text) ? ': the columns are separated by spaces, not tabs' : ''}`);
      unreadable++;
      return;
    }
    if (samples.length > 0 && cols.length !== 9 + samples.length) {
      fail(no, `expected ${9 + samples.length} columns (8 fixed, FORMAT and ${samples.length} sample${samples.length > 1 ? 's' : ''}), found ${cols.length}`);
      unreadable++;
      return;
    }
    if (!/^\d+$/.test(cols[1]!)) {
      fail(no, `POS must be a positive whole number, got "${cols[1]!.slice(0, 20)}"`, 'POS');
      unreadable++;
      return;
    }
    if (!/^[ACGTNacgtn*.]+$/.test(cols[3]!)) {
      fail(no, `REF must be bases (A, C, G, T, N), got "${cols[3]!.slice(0, 20)}"`, 'REF');
      unreadable++;
      return;
    }
    const v = parser!.parseLine(text);
    const filter = v.FILTER;
    if (filter !== undefined && filter !== 'PASS' && !(Array.isArray(filter) && filter.length === 1 && filter[0] === 'PASS')) {
      filtered++;
      return;
    }
    const alts = v.ALT ?? [];
    if (alts.length === 0) {
      noncoding++;
      return;
    }
    const ref = v.REF ?? '';
    // Annotations of this record, by the allele they describe.
    const anns: TranscriptAnnotation[] = [];
    for (const layout of layouts) {
      const raw = v.INFO[layout.tag];
      if (!Array.isArray(raw)) continue;
      for (const entry of raw) if (typeof entry === 'string' && entry !== '') {
        const a = parseAnnotation(layout, entry);
        if (a) anns.push(a);
      }
    }
    // Which samples carry which alt allele.
    const carriers = new Map<number, SampleState[]>();
    let sampleData: Record<string, Record<string, unknown>> | undefined;
    if (samples.length === 0 || !(v.FORMAT ?? '').split(':').includes('GT')) {
      for (const s of states) for (let i = 1; i <= alts.length; i++) (carriers.get(i) ?? carriers.set(i, []).get(i)!).push(s);
    } else {
      const gts = v.GENOTYPES();
      for (const s of states) {
        const c = carriedAlleles(gts[s.name]);
        for (const i of c ?? []) if (i <= alts.length) (carriers.get(i) ?? carriers.set(i, []).get(i)!).push(s);
      }
    }
    if (carriers.size === 0) return;

    for (const [altIndex, who] of carriers) {
      const alt = alts[altIndex - 1]!;
      if (/^[<\[\]]|[\[\]]/.test(alt) || alt === '*') {
        noncoding++;
        continue;
      }
      const vepA = vepAllele(ref, alt, alts);
      let forAllele = anns.filter((a) => a.allele === alt || a.allele === vepA);
      if (forAllele.length === 0 && alts.length === 1) forAllele = anns;
      let input: { gene: string; change: string; transcript?: string; exon?: number } | undefined;
      let where = { line: no, path: layouts[0]?.tag ?? 'INFO' };
      if (forAllele.length === 0) {
        const placed = options.locate?.(String(v.CHROM), v.POS, ref, alt, build);
        if (placed) {
          located++;
          input = { gene: placed.gene, change: placed.change };
          where = { line: no, path: 'CHROM/POS/REF/ALT' };
        } else {
          unannotated++;
          continue;
        }
      } else {
        const best = chooseAnnotation(forAllele)!;
        if (!best.consequences.some((c) => PROTEIN_ALTERING.has(c)) && !(options.keepSilent && best.consequences.includes('synonymous_variant'))) {
          noncoding++;
          continue;
        }
        if (!GENE_SYMBOL.test(best.gene)) {
          for (const s of who) s.builder.warn(`no gene symbol in the ${where.path} annotation (transcript ${best.transcript ?? '?'}); record not used`, where);
          unreadable++;
          continue;
        }
        let change = hgvspChange(best.hgvsp);
        if (change === undefined || /^p\.\?$|^p\.\(\?\)$/.test(change)) {
          if (best.consequences.some((c) => c.startsWith('splice_'))) change = 'splice';
          else {
            for (const s of who) s.builder.warn(`${best.gene}: ${best.consequences.join('&')} without a protein change (HGVSp) in ${where.path}; record not used`, where);
            unreadable++;
            continue;
          }
        }
        if (!parseProteinChange(change)) {
          for (const s of who) s.builder.warn(`${best.gene}: protein change "${change}" in ${where.path} cannot be read; record not used`, { ...where, path: `${where.path} HGVSp` });
          unreadable++;
          continue;
        }
        input = { gene: best.gene, change, transcript: best.transcript?.slice(0, 64), exon: best.exon && best.exon <= 400 ? best.exon : undefined };
      }
      for (const s of who) {
        s.carried++;
        if (sampleData === undefined && samples.length > 0) sampleData = v.SAMPLES() as Record<string, Record<string, unknown>>;
        const vaf = sampleVaf(v, sampleData?.[s.name], altIndex, states.length === 1);
        const alteration: Record<string, unknown> = { kind: 'mutation', gene: input.gene, change: input.change };
        if (input.transcript) alteration.transcript = input.transcript;
        if (input.exon) alteration.exon = input.exon;
        if (vaf !== undefined) alteration.vaf = vaf;
        s.builder.add(alteration, where);
      }
    }
  }
}

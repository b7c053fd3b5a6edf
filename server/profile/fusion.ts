/**
 * Fusion tables: STAR-Fusion (`#FusionName  ...  LeftGene  RightGene`, names
 * `EML4--ALK`), Arriba (`#gene1  gene2  ...  confidence`), cBioPortal
 * structural variants (`Site1_Hugo_Symbol`, `Site2_Hugo_Symbol`), and simple
 * tables (`gene1 gene2`, `5' gene / 3' gene`, or one `fusion` column with
 * `EML4::ALK`). The first gene is the 5' partner, the second the 3' gene.
 * Arriba calls of `low` confidence are skipped and counted. An optional sample
 * column gives one profile per sample.
 */
import { InvalidInputError } from '../domain/errors.ts';
import { ProfileBuilder, checkTumourType, finishProfile, toCaseId } from './builder.ts';
import type { OpenedSource } from './io.ts';
import { tableRows, columnList, OneSample, type Header } from './table.ts';
import { FUSION_FIVE_COLUMNS as FIVE, FUSION_NAME_COLUMNS as FUSION_NAME, FUSION_SAMPLE_COLUMNS as SAMPLE, FUSION_THREE_COLUMNS as THREE } from '../domain/columns.ts';
import type { ReadOptions, ReadResult } from './types.ts';

const MODULE = 'profile/fusion';

/** Clean a gene cell: `EML4^ENSG00000...` (STAR-Fusion), `GENE(1234)` (Arriba distances). */
function cleanGene(s: string): string {
  return s.trim().replace(/\^.*$/, '').replace(/\(\d+\)$/, '').trim();
}

/** Split a fusion name (`EML4--ALK`, `EML4::ALK`, `EML4-ALK`, `EML4/ALK`, `EML4>ALK`) into 5' and 3' genes. */
export function splitFusionName(name: string): [string, string] | undefined {
  const s = name.trim();
  for (const sep of ['::', '--', '>', '/', '_', '-', ' ']) {
    const i = s.indexOf(sep);
    if (i > 0 && s.indexOf(sep, i + sep.length) < 0) return [s.slice(0, i), s.slice(i + sep.length)];
  }
  return undefined;
}

export async function* readFusions(src: OpenedSource, options: ReadOptions & { id?: string } = {}): AsyncGenerator<ReadResult> {
  const lenient = options.lenient ?? false;
  const builders = new Map<string, ProfileBuilder>();
  const fatal: Array<{ line: number; path?: string; message: string }> = [];
  let header: Header | undefined;
  let c = { name: -1, five: -1, three: -1, sample: -1, confidence: -1 };
  let lowConfidence = 0;
  let records = 0;
  const fileId = options.id ?? 'fusions';
  const seenPair = new Set<string>();
  /** With options.sample: only that sample's rows are read. */
  const only = new OneSample(options.sample);

  const builderFor = (sample: string | undefined): ProfileBuilder => {
    const key = sample ?? '';
    let b = builders.get(key);
    if (!b) {
      const tt = options.tumourType ?? (sample ? options.sampleTumourTypes?.get(sample) : undefined);
      b = new ProfileBuilder({ id: sample ? (options.sampleId ?? toCaseId)(sample, `${fileId}-${builders.size + 1}`) : fileId, tumourType: checkTumourType(tt, 'tumourType', MODULE), genes: options.genes, lenient, module: MODULE });
      builders.set(key, b);
    }
    return b;
  };

  for await (const row of tableRows(src, MODULE)) {
    if ('header' in row) {
      const h = (header = row.header);
      c = { name: h.find(...FUSION_NAME), five: h.find(...FIVE), three: h.find(...THREE), sample: h.find(...SAMPLE), confidence: h.find('confidence') };
      if (c.name < 0 && (c.five < 0 || c.three < 0)) {
        // a headerless "gene1 gene2" table: the first line is data
        if (h.columns.length >= 2 && h.columns.slice(0, 2).every((x) => /^[A-Z][A-Z0-9.-]+$/.test(x))) {
          c = { name: -1, five: 0, three: 1, sample: -1, confidence: -1 };
          records++;
          const b = builderFor(undefined);
          b.stats.records++;
          b.add({ kind: 'fusion', gene: cleanGene(h.columns[1]!), partner: cleanGene(h.columns[0]!) }, { line: h.line });
          continue;
        }
        throw new InvalidInputError(`${MODULE}: no fusion columns`, [
          { line: h.line, path: 'header', message: `expected a fusion name column (FusionName, fusion) or two gene columns (gene1 and gene2, LeftGene and RightGene); found: ${columnList(h)}` },
        ]);
      }
      continue;
    }
    const { cells, no } = row;
    const h = header!;
    records++;
    if (c.sample >= 0 && !only.keeps(cells[c.sample] ?? '')) continue;
    const b = builderFor(c.sample >= 0 ? cells[c.sample] : undefined);
    b.stats.records++;
    if (c.confidence >= 0 && /^low$/i.test(cells[c.confidence] ?? '')) {
      lowConfidence++;
      b.stats.skipped++;
      continue;
    }
    let five: string | undefined;
    let three: string | undefined;
    if (c.five >= 0 && c.three >= 0 && cells[c.five] && cells[c.three]) {
      five = cleanGene(cells[c.five]!);
      three = cleanGene(cells[c.three]!);
    } else if (c.name >= 0) {
      const pair = splitFusionName(cells[c.name] ?? '');
      if (pair) [five, three] = pair.map(cleanGene) as [string, string];
    }
    if (!five || !three) {
      const msg = `cannot read a fusion from "${(c.name >= 0 ? cells[c.name] : cells.slice(0, 2).join(' ')) ?? ''}": expected two genes such as EML4--ALK or EML4::ALK`;
      if (lenient) b.warn(`skipped: ${msg}`, { line: no, path: h.columns[c.name] });
      else if (fatal.length < 50) fatal.push({ line: no, path: h.columns[c.name >= 0 ? c.name : c.five], message: msg });
      continue;
    }
    // Arriba lists intergenic partners as "GENE1,GENE2": keep the first.
    five = five.split(',')[0]!;
    three = three.split(',')[0]!;
    const pairKey = `${b.options.id}\t${five}\t${three}`;
    if (seenPair.has(pairKey)) continue; // several breakpoints of one fusion
    seenPair.add(pairKey);
    b.add({ kind: 'fusion', gene: three, partner: five }, { line: no, path: h.columns[c.name >= 0 ? c.name : c.five] });
  }
  if (fatal.length > 0) throw new InvalidInputError(`${MODULE}: ${fatal.length} unreadable line${fatal.length === 1 ? '' : 's'}`, fatal);
  only.check(MODULE, 'fusion table', header?.columns[c.sample] ?? 'sample');
  if (builders.size === 0) throw new InvalidInputError(`${MODULE}: no rows`, [{ line: (header?.line ?? 0) + 1, message: 'the table has a header but no fusions' }]);
  for (const [, b] of builders) {
    if (lowConfidence > 0) b.warn(`${lowConfidence} low-confidence fusion calls were not kept`, { path: 'confidence' });
    yield finishProfile(b, options.continueOnError);
  }
  options.onProgress?.({ records, profiles: builders.size, bytes: src.bytesRead(), totalBytes: src.totalBytes });
}

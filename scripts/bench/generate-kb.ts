/**
 * A seeded generator of realistic knowledge bases N times the shipped one:
 * synthetic genes with hotspots, exact / positional / gene-level biomarkers,
 * drugs with targets, evidence across levels, directions and tumour types,
 * added to the shipped files so real profiles still match real evidence.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { EvidenceGraph, KbFile, KbFiles } from '../../server/evidence/build.ts';
import { buildEvidenceGraph } from '../../server/evidence/build.ts';
import { LEVELS } from '../../server/domain/knowledge.ts';
import { loadKnowledgeBase } from '../../server/evidence/load.ts';
import { lcg, pick } from './lcg.ts';

const AA = 'ACDEFGHIKLMNPQRSTVWY';

interface Synthetic {
  drugs: Array<{ name: string; class: string; targets: string[]; approved: Array<'FDA'> }>;
  genes: KbFile[];
}

/** `factor - 1` times the shipped evidence, as synthetic gene files and drugs (seeded). */
function synthetic(factor: number, seed: number): Synthetic {
  const shipped = loadKnowledgeBase();
  const rand = lcg(seed);
  const base = shipped.counts.evidence;
  const target = base * (factor - 1);
  const tumours: string[] = [];
  shipped.graph.forEachNode((_k, a) => {
    if (a.type === 'tumour') tumours.push(a.code);
  });
  const genesCount = Math.max(10, Math.round(target / 8));
  const drugs = Array.from({ length: Math.max(10, Math.round(target / 6)) }, (_, i) => ({
    name: `synthdrug ${i}`,
    class: 'synthetic inhibitor',
    targets: [`SYN${Math.floor(rand() * genesCount)}`],
    approved: rand() < 0.3 ? ['FDA' as const] : [],
  }));
  const geneFiles: KbFile[] = [];
  let n = 0;
  for (let g = 0; g < genesCount && n < target; g++) {
    const gene = `SYN${g}`;
    const hotspots = Array.from({ length: 3 }, () => `${pick(rand, AA)}${10 + Math.floor(rand() * 900)}${pick(rand, AA)}`);
    const evidence = [];
    const per = Math.min(target - n, 4 + Math.floor(rand() * 9));
    for (let k = 0; k < per; k++, n++) {
      const kind = rand();
      const biomarker =
        kind < 0.5 ? `${gene} ${pick(rand, hotspots)}` : kind < 0.7 ? `${gene} ${pick(rand, hotspots).slice(0, -1)}` : kind < 0.85 ? `${gene} amplification` : `${gene} mutation`;
      const level = pick(rand, LEVELS.filter((l) => l !== 'approved'));
      evidence.push({
        id: `syn-${g}-${k}`,
        biomarker,
        therapy: rand() < 0.15 ? [pick(rand, drugs).name, pick(rand, drugs).name].filter((x, i, xs) => xs.indexOf(x) === i) : pick(rand, drugs).name,
        tumour: pick(rand, tumours),
        level,
        direction: rand() < 0.8 ? 'sensitivity' : 'resistance',
        statement: 'Synthetic evidence generated for benchmarking.',
        sources: [{ pmid: String(1 + Math.floor(rand() * 30000000)) }],
      });
    }
    geneFiles.push({
      path: `genes/${gene}.yaml`,
      data: { gene, role: rand() < 0.6 ? 'oncogene' : 'tsg', drivers: { oncogenic: hotspots, likely: [] }, evidence },
    });
  }
  return { drugs, genes: geneFiles };
}

/** Rebuild the shipped files (as loaded) plus `factor - 1` times as much synthetic evidence, in memory. */
export function generateKb(factor: number, seed = 7): { graph: EvidenceGraph; evidence: number } {
  const shipped = loadKnowledgeBase();
  if (factor <= 1) return { graph: shipped.graph, evidence: shipped.counts.evidence };
  const { drugs, genes } = synthetic(factor, seed);
  const read = (p: string): KbFile => ({ path: p, data: parseYaml(readFileSync(`${shipped.dir}/${p}`, 'utf8')) });
  const files: KbFiles = {
    manifest: read('kb.yaml'),
    tumourTypes: read('tumour-types.yaml'),
    drugs: { path: 'drugs.yaml', data: { drugs: [...(read('drugs.yaml').data as { drugs: unknown[] }).drugs, ...drugs] } },
    pathways: shipped.files.includes('pathways.yaml') ? read('pathways.yaml') : undefined,
    genes: [...shipped.files.filter((f) => f.startsWith('genes/')).map(read), ...genes],
    signatures: shipped.files.filter((f) => f.startsWith('signatures/')).map(read),
  };
  const { graph, counts } = buildEvidenceGraph(files, `sha256:synthetic-${factor}x`);
  return { graph, evidence: counts.evidence };
}

/** Write a knowledge-base folder `factor` times the shipped one (for start-up benchmarks). */
export function writeKbDir(factor: number, dir: string, seed = 7): void {
  const shipped = loadKnowledgeBase();
  cpSync(shipped.dir, dir, { recursive: true });
  if (factor <= 1) return;
  const { drugs, genes } = synthetic(factor, seed);
  const drugsFile = parseYaml(readFileSync(`${shipped.dir}/drugs.yaml`, 'utf8')) as { drugs: unknown[] };
  writeFileSync(`${dir}/drugs.yaml`, stringifyYaml({ drugs: [...drugsFile.drugs, ...drugs] }));
  for (const g of genes) writeFileSync(`${dir}/${g.path}`, stringifyYaml(g.data));
}


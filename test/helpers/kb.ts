/**
 * Small factories for fixture knowledge bases: tests build exactly the graph
 * they reason about, through the same builder the shipped evidence goes through.
 */
import { buildEvidenceGraph, type EvidenceGraph, type KbFile } from '../../server/evidence/build.ts';
import { isCurrentApproval, type EvidenceItem } from '../../server/domain/knowledge.ts';

export interface FixtureGene {
  gene: string;
  role?: 'oncogene' | 'tsg' | 'both' | 'other';
  aliases?: string[];
  exons?: Record<string, [number, number]>;
  domains?: Record<string, [number, number]>;
  itd?: string;
  drivers?: { oncogenic?: string[]; likely?: string[] };
  evidence?: Array<Partial<EvidenceItem> & Pick<EvidenceItem, 'id' | 'biomarker' | 'therapy'>>;
}

export const FIXTURE_TUMOURS = [
  { code: 'TISSUE', name: 'Any tumour', parent: null },
  { code: 'LUNG', name: 'Lung', parent: 'TISSUE' },
  { code: 'NSCLC', name: 'Non-Small Cell Lung Cancer', parent: 'LUNG' },
  { code: 'LUAD', name: 'Lung Adenocarcinoma', parent: 'NSCLC' },
  { code: 'LUSC', name: 'Lung Squamous Cell Carcinoma', parent: 'NSCLC' },
  { code: 'SCLC', name: 'Small Cell Lung Cancer', parent: 'LUNG' },
  { code: 'BOWEL', name: 'Bowel', parent: 'TISSUE' },
  { code: 'COADREAD', name: 'Colorectal Adenocarcinoma', parent: 'BOWEL' },
  { code: 'COAD', name: 'Colon Adenocarcinoma', parent: 'COADREAD' },
  { code: 'SKIN', name: 'Skin', parent: 'TISSUE' },
  { code: 'MEL', name: 'Melanoma', parent: 'SKIN' },
];

export function evidence(e: FixtureGene['evidence'] extends Array<infer T> | undefined ? T : never): EvidenceItem {
  return {
    tumour: 'NSCLC',
    level: 'phase2',
    direction: 'sensitivity',
    statement: 'Fixture evidence statement for a test.',
    sources: [{ pmid: '1' }],
    ...e,
  } as EvidenceItem;
}

export function makeKb(
  genes: FixtureGene[],
  options: {
    drugs?: Array<{ name: string; targets?: string[]; approved?: Array<'FDA' | 'EMA'>; labelled?: Array<{ agency: 'FDA' | 'EMA'; tumours: string[] }> }>;
    signatures?: FixtureGene['evidence'];
  } = {},
): EvidenceGraph {
  const drugNames = new Set<string>();
  for (const g of genes) for (const e of g.evidence ?? []) for (const d of [e.therapy].flat()) drugNames.add(d as string);
  for (const e of options.signatures ?? []) for (const d of [e.therapy].flat()) drugNames.add(d as string);
  const declared = new Map((options.drugs ?? []).map((d) => [d.name, d]));
  // As a real drugs.yaml must (evidence check): a drug holds every agency whose approval in force an item records.
  const approvedBy = new Map<string, Set<'FDA' | 'EMA'>>();
  for (const e of [...genes.flatMap((g) => g.evidence ?? []), ...(options.signatures ?? [])]) {
    for (const a of e.approvals ?? []) {
      if (!isCurrentApproval(a)) continue;
      for (const d of [e.therapy].flat()) approvedBy.set(d as string, (approvedBy.get(d as string) ?? new Set()).add(a.agency));
    }
  }
  const drugs = [...new Set([...drugNames, ...declared.keys()])].sort().map((name) => ({
    name,
    class: 'test drug',
    targets: declared.get(name)?.targets ?? [],
    approved: [...new Set([...(declared.get(name)?.approved ?? []), ...(approvedBy.get(name) ?? [])])].sort(),
    ...(declared.get(name)?.labelled ? { labelled: declared.get(name)!.labelled } : {}),
  }));
  const file = (path: string, data: unknown): KbFile => ({ path, data });
  return buildEvidenceGraph(
    {
      manifest: file('kb.yaml', { name: 'fixture', version: 'test' }),
      tumourTypes: file('tumour-types.yaml', { root: 'TISSUE', tumourTypes: FIXTURE_TUMOURS }),
      drugs: file('drugs.yaml', { drugs }),
      genes: genes.map((g) =>
        file(`genes/${g.gene}.yaml`, {
          gene: g.gene,
          role: g.role ?? 'oncogene',
          aliases: g.aliases ?? [],
          exons: g.exons ?? {},
          domains: g.domains ?? {},
          ...(g.itd !== undefined ? { itd: g.itd } : {}),
          drivers: { oncogenic: g.drivers?.oncogenic ?? [], likely: g.drivers?.likely ?? [] },
          evidence: (g.evidence ?? []).map(evidence),
        }),
      ),
      signatures: options.signatures ? [file('signatures/fixture.yaml', { evidence: options.signatures.map(evidence) })] : [],
    },
    'sha256:fixture',
  ).graph;
}

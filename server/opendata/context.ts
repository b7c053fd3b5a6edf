/**
 * What reading an open release needs from a loaded knowledge base: its drugs
 * (by name, synonym and brand), tumour codes and gene aliases, plus the
 * disease-to-OncoTree mapper. Shared by the importers and the validation.
 */
import type { EvidenceGraph } from '../evidence/build.ts';
import { createGeneResolver, type GeneTableResolver } from '../profile/genes.ts';
import { createDiseaseMapper, type DiseaseMapper } from './disease.ts';
import { createDrugLookup, type DrugLookup } from './drugs.ts';

export interface OpenDataContext {
  diseases: DiseaseMapper;
  drugs: DrugLookup;
  tumours: ReadonlySet<string>;
  genes: GeneTableResolver;
}

export function openDataContext(graph: EvidenceGraph, dataDir: string): OpenDataContext {
  const drugs: Array<{ name: string; synonyms: string[]; brands: string[] }> = [];
  const tumours = new Set<string>();
  const aliasRecords: Array<{ symbol: string; aliases: string[] }> = [];
  graph.forEachNode((_k, a) => {
    if (a.type === 'drug') drugs.push(a);
    else if (a.type === 'tumour') tumours.add(a.code);
    else if (a.type === 'gene' && a.aliases.length > 0) aliasRecords.push({ symbol: a.symbol, aliases: a.aliases });
  });
  return { diseases: createDiseaseMapper(dataDir), drugs: createDrugLookup(drugs), tumours, genes: createGeneResolver(aliasRecords) };
}

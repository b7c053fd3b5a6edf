/**
 * `validate(reference, options)`: read an open reference, select its items,
 * rank each as a profile, and report (see run.ts). Used by `mtbnet validate`
 * and by the regression guard in the test suite.
 */
import { existsSync } from 'node:fs';
import { loadKnowledgeBase, DEFAULT_EVIDENCE_DIR } from '../evidence/load.ts';
import { readCgiBiomarkers } from '../opendata/cgi.ts';
import { civicFiles, readCivicAssertions, readCivicEvidence } from '../opendata/civic.ts';
import { openDataContext } from '../opendata/context.ts';
import { CGI_FILE, CIVIC_2021 } from '../opendata/paths.ts';
import { OpenDataError } from '../opendata/tsv.ts';
import { representativeChanges } from '../evidence/import-civic.ts';
import { prepareGraph, rankTherapies } from '../scoring/index.ts';
import { categoryRepresentatives } from './representative.ts';
import { selectCgi } from './cgi.ts';
import { selectCivic, type SelectContext } from './civic.ts';
import { runValidation, type RankFn } from './run.ts';
import type { ItemOutcome, Reference, ValidationItem, ValidationReport } from './types.ts';

export * from './types.ts';
export { runValidation, evaluateItem } from './run.ts';

export const REFERENCES: readonly Reference[] = ['civic', 'cgi', 'civic-assertions'];

export interface ValidateOptions {
  /** Open-data folder (civic/, cgi/, oncotree/, pcgr/). */
  dataDir: string;
  /** The reference file or folder, instead of the default one under dataDir. */
  input?: string;
  evidenceDir?: string;
  /** Imported sets to switch on: never the headline figure. */
  imports?: string[];
}

export function referencePath(reference: Reference, dataDir: string): string {
  return reference === 'cgi' ? CGI_FILE(dataDir) : CIVIC_2021(dataDir);
}

export function validate(reference: Reference, options: ValidateOptions): { report: ValidationReport; outcomes: ItemOutcome[]; items: ValidationItem[] } {
  const imports = options.imports ?? [];
  const kb = loadKnowledgeBase(options.evidenceDir ?? DEFAULT_EVIDENCE_DIR, { imports });
  const index = prepareGraph(kb.graph);
  const open = openDataContext(kb.graph, options.dataDir);
  const { genes } = open;
  const ctx: SelectContext = open;
  const input = options.input ?? referencePath(reference, options.dataDir);
  if (!existsSync(input)) throw new OpenDataError(input, undefined, 'reference not found (pass --data DIR)');
  const excluded: Record<string, number> = {};
  let items: ValidationItem[];
  let source: string;
  if (reference === 'cgi') {
    source = input;
    items = selectCgi(readCgiBiomarkers(input), ctx, excluded);
  } else {
    const files = civicFiles(input);
    const evidencePath = files.evidence;
    const evidence = evidencePath ? readCivicEvidence(evidencePath) : [];
    ctx.representative = representativeChanges(evidence);
    ctx.category = categoryRepresentatives(evidence, index, { genes, representative: ctx.representative });
    if (reference === 'civic') {
      if (!evidencePath) throw new OpenDataError(input, undefined, 'no *ClinicalEvidenceSummaries.tsv here');
      source = evidencePath;
      items = selectCivic(evidence, ctx, excluded);
    } else {
      if (!files.assertions) throw new OpenDataError(input, undefined, 'no *AssertionSummaries.tsv here');
      source = files.assertions;
      items = selectCivic(readCivicAssertions(files.assertions), ctx, excluded);
    }
  }
  const rank: RankFn = (profile) => rankTherapies(kb.graph, profile);
  const { report, outcomes } = runValidation(items, { reference, source, kb, imports, rank, genes, excluded });
  return { report, outcomes, items };
}

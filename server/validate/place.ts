/**
 * Where a reference item's profile is ranked: the OncoTree code of its
 * disease when the knowledge base's tumour hierarchy has it, else its nearest
 * ancestor there (LUAD -> NSCLC), as a board would enter the closest type the
 * tool offers. A disease whose whole lineage is absent is ranked under its own
 * code (the ranking then weighs all evidence as "other tumour type").
 * Tumour-agnostic references ("Cancer") are ranked as TISSUE.
 */
import type { DiseaseMapper } from '../opendata/disease.ts';
import { nearestKnown } from '../opendata/disease.ts';

export function placeTumour(diseases: DiseaseMapper, code: string | undefined, known: ReadonlySet<string>): { tumour: string; lineage: string } | undefined {
  if (!code) return undefined;
  const lineage = code === 'TISSUE' ? 'TISSUE (tumour-agnostic)' : (diseases.tree.lineage(code) ?? code);
  const near = nearestKnown(diseases.tree, code, known);
  const tumour = near && (near !== 'TISSUE' || code === 'TISSUE') ? near : code;
  return { tumour, lineage };
}

/**
 * How the profile's tumour type relates to the tumour type of an evidence item
 * (DESIGN §4 tumourMatch), through the OncoTree hierarchy: the same type or a
 * descendant of it, tumour-agnostic (the root), the same organ or lineage, other.
 */
import type { TumourMatch } from '../domain/result.ts';
import type { GraphIndex } from './prepare.ts';

export function tumourMatch(index: GraphIndex, profileTumour: string | undefined, evidenceTumour: string): TumourMatch {
  const root = index.info.root;
  if (evidenceTumour === root) return 'pan-cancer';
  if (!profileTumour) return 'other';
  const mine = index.ancestors.get(profileTumour);
  if (!mine) return 'other';
  if (mine.includes(evidenceTumour)) return 'same';
  const theirs = index.ancestors.get(evidenceTumour);
  if (!theirs) return 'other';
  // Evidence in a more specific type (LUAD) for a broader profile (NSCLC), or a shared organ or lineage.
  for (const code of theirs) {
    if (code === root) break;
    if (mine.includes(code)) return 'related';
  }
  return 'other';
}

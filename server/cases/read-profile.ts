/**
 * Turn a profile submission (reader text in any format, or a JSON profile) into a profile
 * record for a case: the case id and tumour type win over what the input says.
 */
import type { ProfileRecord, ProfileSubmission } from '../domain/case.ts';
import type { ProfileFormat } from '../profile/types.ts';
import { InvalidInputError } from '../domain/errors.ts';
import { nodeKey } from '../domain/knowledge.ts';
import type { CaseContext } from './context.ts';

export async function readProfile(
  ctx: CaseContext,
  caseId: string,
  tumourType: string | undefined,
  submission: ProfileSubmission,
  seq: number,
): Promise<{ record: ProfileRecord; warnings: string[] }> {
  const text = submission.text ?? JSON.stringify(submission.profile);
  const format = submission.text !== undefined ? (submission.format as ProfileFormat | undefined) : 'json';
  // Any reader's format: JSON, text, VCF, MAF, CNV or fusion tables holding one sample, or the sample of a file of
  // several that readSample names (the name chooses only: the profile is the case's, under the case's ID).
  const { profile, warnings } = await ctx.engine.read({ text }, { format, tumourType, id: caseId, sample: submission.readSample });
  return {
    record: {
      caseId,
      seq,
      sample: submission.sample ?? null,
      collectedOn: submission.collectedOn ?? null,
      createdAt: ctx.now(),
      profile,
      alterationKeys: [...new Set(profile.alterations.map((a) => a.key))].sort(),
    },
    warnings: warnings.map((w) => (w.line !== undefined ? `line ${w.line}: ${w.message}` : w.message)),
  };
}

/**
 * A case, and a profile added to a case that has none, is stored with a tumour type the knowledge base knows: an
 * unknown code (TCGA's OV for OVARY, a typo) would rank every tumour-specific approval as evidence from another tumour
 * type, quietly, for the life of the case.
 */
export function checkKnownTumourType(ctx: CaseContext, code: string | undefined, path: string): void {
  const graph = ctx.engine.kb.graph;
  if (code === undefined || graph.hasNode(nodeKey.tumour(code))) return;
  const like: string[] = [];
  graph.forEachNode((_k, a) => {
    if (a.type === 'tumour' && like.length < 5 && (a.code.startsWith(code.slice(0, 2)) || a.name.toUpperCase().includes(code))) like.push(a.code);
  });
  throw new InvalidInputError(`cases: unknown tumour type "${code}"`, [
    {
      path,
      message: `"${code}" is not an OncoTree code of the knowledge base${like.length > 0 ? ` (perhaps ${like.sort().join(', ')})` : ''}: GET /api/tumour-types lists them, TISSUE is any tumour`,
    },
  ]);
}

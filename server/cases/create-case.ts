/** Open a case: read its first profile, then store both in one transaction. */
import type { CaseDetail, NewCaseInput } from '../domain/case.ts';
import { ConflictError, InvalidInputError } from '../domain/errors.ts';
import { nodeKey } from '../domain/knowledge.ts';
import type { CaseContext } from './context.ts';
import { readProfile } from './read-profile.ts';

export async function createCase(ctx: CaseContext, input: NewCaseInput): Promise<{ case: CaseDetail; warnings: string[] }> {
  if (await ctx.store.getCase(input.id)) {
    throw new ConflictError(`cases: case "${input.id}" exists already`, [{ path: 'id', message: 'choose another pseudonymous id' }]);
  }
  const { record: profile, warnings } = await readProfile(ctx, input.id, input.tumourType, input.profile, 1);
  checkKnownTumourType(ctx, profile.profile.tumourType, input.tumourType !== undefined ? 'tumourType' : 'profile');
  const at = profile.createdAt;
  const record = { id: input.id, tumourType: profile.profile.tumourType ?? null, status: 'new' as const, createdAt: at, updatedAt: at };
  await ctx.store.createCase(record, profile);
  return { case: { ...record, profiles: [profile] }, warnings };
}

/**
 * A case is stored with a tumour type the knowledge base knows: an unknown code (TCGA's OV for OVARY, a typo) would
 * rank every tumour-specific approval as evidence from another tumour type, quietly, for the life of the case.
 */
function checkKnownTumourType(ctx: CaseContext, code: string | undefined, path: string): void {
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

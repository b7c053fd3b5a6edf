/** Open a case: read its first profile, then store both in one transaction. */
import type { CaseDetail, NewCaseInput } from '../domain/case.ts';
import { ConflictError } from '../domain/errors.ts';
import type { CaseContext } from './context.ts';
import { checkKnownTumourType, readProfile } from './read-profile.ts';

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

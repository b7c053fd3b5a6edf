/** Add a later sample to a case (a relapse, a liquid biopsy): the next profile in sequence. */
import type { ProfileRecord, ProfileSubmission } from '../domain/case.ts';
import { ConflictError } from '../domain/errors.ts';
import { requireCase, type CaseContext } from './context.ts';
import { checkKnownTumourType, readProfile } from './read-profile.ts';

export async function addProfile(ctx: CaseContext, caseId: string, submission: ProfileSubmission): Promise<{ profile: ProfileRecord; warnings: string[] }> {
  const c = await requireCase(ctx, caseId);
  if (c.status === 'follow-up') throw new ConflictError(`cases: case "${caseId}" is in follow-up; it takes no new profiles`);
  const { record, warnings } = await readProfile(ctx, caseId, c.tumourType ?? undefined, submission, c.profiles.length + 1);
  // The case's tumour type wins over the profile's; a case without one takes what the profile says, checked as a new case's.
  if (c.tumourType === null) checkKnownTumourType(ctx, record.profile.tumourType, 'profile');
  await ctx.store.addProfile(record);
  return { profile: record, warnings };
}

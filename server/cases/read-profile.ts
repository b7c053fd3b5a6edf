/**
 * Turn a profile submission (reader text in any format, or a JSON profile) into a profile
 * record for a case: the case id and tumour type win over what the input says.
 */
import type { ProfileRecord, ProfileSubmission } from '../domain/case.ts';
import type { ProfileFormat } from '../profile/types.ts';
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
  // Any reader's format: JSON, text, VCF, MAF, CNV or fusion tables holding one sample.
  const { profile, warnings } = await ctx.engine.read({ text }, { format, tumourType, id: caseId });
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

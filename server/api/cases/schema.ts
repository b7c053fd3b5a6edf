/** HTTP shapes of the case, meeting and outcome routes (zod at the boundary). */
import { z } from 'zod';
import { AGENCIES } from '../../domain/knowledge.ts';
import { InvalidInputError, zodDetails } from '../../domain/errors.ts';
import { CASE_STATUSES, CaseId } from '../../domain/case.ts';
import { MAX_PAGE } from '../../cases/case-summaries.ts';

export {
  NewCaseInput, ProfileSubmission, StatusChangeInput, NewMeetingInput, AgendaInput, NewDecisionInput, NewFollowUpInput,
} from '../../domain/case.ts';

export const CaseParams = z.strictObject({ id: CaseId });
export const SnapshotParams = z.strictObject({ id: CaseId, snapshotId: z.string().min(1).max(64) });
export const MeetingParams = z.strictObject({ id: z.string().min(1).max(64) });
export const ListCasesQuery = z.strictObject({
  status: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(CASE_STATUSES)))
    .optional(),
});
const commaList = <T extends z.ZodType<unknown, string>>(item: T, max: number) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).max(max, `at most ${max} values`));
const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const CaseSummariesQuery = z.strictObject({
  q: z.string().max(200).optional(),
  status: commaList(z.enum(CASE_STATUSES), CASE_STATUSES.length).optional(),
  ids: commaList(CaseId, MAX_PAGE).optional(),
  limit: intParam(1, MAX_PAGE).optional(),
  offset: intParam(0, 1_000_000_000).optional(),
});
export const RankCaseQuery = z.strictObject({ agency: z.enum(AGENCIES).optional() });
export const ReevaluateInput = z.strictObject({
  save: z.boolean().default(false),
  top: z.number().int().min(1).max(20).optional(),
});
export const EmptyQuery = z.strictObject({});

/** Parse one part of a request or throw a 400 naming every bad field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params', route: string): z.infer<S> {
  const r = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!r.success) throw new InvalidInputError(`api/${route}: invalid ${where === 'params' ? 'path' : where}`, zodDetails(r.error.issues, where));
  return r.data;
}

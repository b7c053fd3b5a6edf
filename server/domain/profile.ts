/**
 * The molecular profile of DESIGN §5: a pseudonymous ID, an OncoTree tumour
 * type and a list of alterations. Nothing else is accepted (strict schema):
 * no names, birth dates or record numbers ever enter the system.
 */
import { z } from 'zod';
import { InvalidInputError, zodDetails, type ErrorDetail } from './errors.ts';
import { normaliseAlteration, identityGenes, type Alteration, type GeneResolver } from './alteration.ts';

export const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
export const ONCOTREE_CODE = /^[A-Z0-9_/-]{1,20}$/;

export const ProfileInput = z.strictObject({
  id: z
    .string()
    .trim()
    .regex(CASE_ID, 'id must be a pseudonymous case ID: letters, digits, . _ : - (at most 64)')
    .optional(),
  tumourType: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.string().regex(ONCOTREE_CODE, 'tumourType must be an OncoTree code such as LUAD or COADREAD'))
    .optional(),
  alterations: z.array(z.unknown(), { error: 'alterations must be a list' }).max(5000, 'at most 5,000 alterations per profile'),
});
export type ProfileInput = z.input<typeof ProfileInput>;

export interface Profile {
  id: string;
  tumourType?: string;
  alterations: Alteration[];
}

export interface NormaliseOptions {
  genes?: GeneResolver;
  /** Used when the profile has no id. */
  defaultId?: string;
  /** Overrides the profile's tumour type (CLI --tumour). */
  tumourType?: string;
}

/**
 * Validate and normalise a profile. Every invalid alteration is reported (not
 * just the first), each with its path, so a lab scientist can fix them all at once.
 * Duplicate alterations (same canonical key) are merged.
 */
export function normaliseProfile(input: unknown, options: NormaliseOptions = {}): Profile {
  const parsed = ProfileInput.safeParse(input);
  if (!parsed.success) throw new InvalidInputError('profile: invalid profile', zodDetails(parsed.error.issues));
  const { genes = identityGenes, defaultId = 'profile', tumourType } = options;
  const details: ErrorDetail[] = [];
  const seen = new Map<string, Alteration>();
  parsed.data.alterations.forEach((raw, i) => {
    try {
      const a = normaliseAlteration(raw, genes, `alterations.${i}`);
      if (!seen.has(a.key)) seen.set(a.key, a);
    } catch (err) {
      if (err instanceof InvalidInputError) details.push(...err.details);
      else throw err;
    }
  });
  if (details.length > 0) throw new InvalidInputError('profile: invalid alterations', details);
  let tt = tumourType?.trim().toUpperCase() ?? parsed.data.tumourType;
  if (tt !== undefined && !ONCOTREE_CODE.test(tt)) {
    throw new InvalidInputError('profile: invalid tumour type', [{ path: 'tumourType', message: `"${tt}" is not an OncoTree code` }]);
  }
  return { id: parsed.data.id ?? defaultId, tumourType: tt, alterations: [...seen.values()] };
}

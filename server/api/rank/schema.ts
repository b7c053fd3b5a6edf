/** HTTP shapes of the ranking routes (zod at the boundary). */
import { z } from 'zod';
import { AGENCIES } from '../../domain/knowledge.ts';
import { PROFILE_FORMATS } from '../../profile/types.ts';

export const RankQuery = z.strictObject({
  agency: z.enum(AGENCIES).optional(),
  tumour: z.string().trim().toUpperCase().optional(),
  format: z.enum(PROFILE_FORMATS as [string, ...string[]]).optional(),
});

/** JSON body: a profile (DESIGN §5) directly, or `{text, format?, tumourType?, id?}` for any reader's input. */
export const RankTextBody = z.strictObject({
  text: z.string().min(1, 'text is empty').max(10_000_000),
  format: z.enum(PROFILE_FORMATS as [string, ...string[]]).optional(),
  tumourType: z.string().optional(),
  id: z.string().optional(),
  /** The uploaded file's name, which helps format detection (`tumour.vcf`, `calls.maf`). */
  filename: z.string().max(255).optional(),
  /** One sample of a multi-sample VCF or MAF. */
  sample: z.string().max(128).optional(),
  agency: z.enum(AGENCIES).optional(),
});

/** HTTP shapes of the ranking routes (zod at the boundary). */
import { z } from 'zod';
import { AGENCIES } from '../../domain/knowledge.ts';
import { PROFILE_FORMATS } from '../../profile/types.ts';
import { CaseId } from '../../domain/case.ts';

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
  /**
   * Your own case IDs for the sample names in the file (sample name -> case ID). Names not
   * listed become pseudonymous IDs (S- and 12 hex digits); raw names are never kept.
   */
  sampleMap: z
    .record(z.string().min(1).max(256), CaseId)
    .refine((m) => Object.keys(m).length <= 10_000, 'at most 10,000 samples')
    .optional()
    .describe('sample name -> your case ID; other sample names become pseudonymous IDs'),
  agency: z.enum(AGENCIES).optional(),
});

/** Which sample or file name of the upload became which profile id; in the answer to the uploader only. */
export const SampleIds = z
  .array(z.object({ sample: z.string(), id: z.string(), how: z.enum(['pseudonym', 'mapped']) }))
  .describe('which sample (or file) name of the upload became which id: pseudonym (HMAC under the installation key) or mapped (your id). Sent only to you; never stored');

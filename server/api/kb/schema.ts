/** HTTP shapes of the knowledge-base read routes (zod at the boundary). */
import { z } from 'zod';

export const TumourTypesQuery = z.strictObject({});

export const TumourType = z.object({
  code: z.string().describe('OncoTree code'),
  name: z.string(),
  parent: z.string().nullable().describe('code of the parent type; null for the root'),
});
export type TumourType = z.infer<typeof TumourType>;

export const TumourTypesResponse = z.object({
  kb: z.object({ version: z.string(), hash: z.string() }),
  tumourTypes: z.array(TumourType),
});

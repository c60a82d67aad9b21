import * as z from 'zod';
import { CREDENTIALING_STATUSES } from '../credentialing/cycle.ts';
import '../zod-openapi.ts';
import { ListQuerySchema, listOf } from './common.ts';

/** In a body, so names, NPIs and licence numbers never land in URLs and access logs. */
export const StaffSearchBodySchema = z
  .object({
    q: z
      .string()
      .trim()
      .min(2, 'At least 2 characters')
      .max(100, 'At most 100 characters')
      .describe(
        'A name prefix (any word of the name, case and accents ignored), an exact NPI or an exact licence number',
      ),
    limit: ListQuerySchema.shape.limit,
    cursor: ListQuerySchema.shape.cursor,
  })
  .strict()
  .openapi('StaffSearchRequest');

export const StaffSearchResultSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    specialty: z.string().optional(),
    isActive: z.boolean(),
    credentialingStatus: z.enum(CREDENTIALING_STATUSES),
    matchedBy: z
      .enum(['npi', 'licence', 'name'])
      .describe('Exact matches (NPI, licence number) come first, then name prefixes by name'),
  })
  .openapi('StaffSearchResult');

export type StaffSearchResult = z.infer<typeof StaffSearchResultSchema>;

export const StaffSearchListSchema = listOf(StaffSearchResultSchema).openapi('StaffSearchResultList');

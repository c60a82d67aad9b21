import * as z from 'zod';
import '../zod-openapi.ts';

export const ProblemSchema = z
  .object({
    type: z.string().describe('URI reference identifying the problem type'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    requestId: z.string(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('400: one entry per invalid or unknown field'),
    currentState: z.string().optional().describe('409: the state that refused the transition'),
    details: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        '422: what the rule found, e.g. missing credential types; 403: `allowedRoles`, the roles that may call the route',
      ),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' });

export const GatewayErrorSchema = z.object({ message: z.string() }).openapi('GatewayError', {
  description: "API Gateway's own answer (401 Unauthorized, 429 Too Many Requests)",
});

export const HealthSchema = z.object({ status: z.literal('ok'), version: z.string() }).openapi('Health');

export const DocsAssetParamsSchema = z
  .object({ asset: z.string().regex(/^[A-Za-z0-9._-]+$/, 'a file name') })
  .strict();

/** Cursor-paged lists: `{ items, nextCursor }`. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ListQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();

/** A list query's filters: the query without its paging, which services take as a PageRequest. */
export type ListFilters<S extends z.ZodType> = Omit<z.infer<S>, keyof z.infer<typeof ListQuerySchema>>;

/** A day in UTC, `YYYY-MM-DD`; impossible dates such as 2026-02-30 are refused. */
export const DaySchema = z.iso.date({ message: 'A date as YYYY-MM-DD' });

/**
 * Whether a value is a day: refinements comparing days check it first, since zod runs them
 * even after a malformed date, which would add a second, misleading error beside the format's.
 */
export const isDay = (value: string): boolean => DaySchema.safeParse(value).success;

/** Entity ids are ULIDs. */
export const UlidSchema = z.ulid({ message: 'An id (ULID)' });

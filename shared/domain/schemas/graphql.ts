import * as z from 'zod';
import '../zod-openapi.ts';

/** Operations in one batched request (a Parse advisory: unbounded batches multiply every other limit). */
export const MAX_GRAPHQL_BATCH = 10;

export const GraphqlOperationSchema = z
  .object({
    query: z.string().min(1),
    operationName: z.string().max(200).nullish(),
    variables: z.record(z.string(), z.unknown()).nullish(),
    extensions: z.record(z.string(), z.unknown()).nullish(),
  })
  .strict()
  .openapi('GraphqlRequest', { description: 'GraphQL over HTTP: one operation' });

export const GraphqlRequestBodySchema = z.union([
  GraphqlOperationSchema,
  z
    .array(GraphqlOperationSchema)
    .min(1)
    .max(MAX_GRAPHQL_BATCH, `At most ${MAX_GRAPHQL_BATCH} operations per batch`),
]);

const GraphqlErrorSchema = z.object({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  extensions: z
    .object({
      type: z.string().describe('The problem type REST answers for the same refusal'),
      status: z.number().int().describe('The HTTP status REST answers (404 for a hidden item)'),
      requestId: z.string(),
    })
    .loose(),
});

const GraphqlResultSchema = z
  .object({
    data: z.record(z.string(), z.unknown()).nullable().optional(),
    errors: z.array(GraphqlErrorSchema).optional(),
  })
  .openapi('GraphqlResponse');

export const GraphqlResponseSchema = z.union([GraphqlResultSchema, z.array(GraphqlResultSchema)]);

/** How many of a contract's next appointments `Contract.nextAppointments` answers at most. */
export const MAX_NEXT_APPOINTMENTS = 20;

import { DocsAssetParamsSchema } from '#domain/schemas/common.ts';
import { GraphqlRequestBodySchema, GraphqlResponseSchema } from '#domain/schemas/graphql.ts';
import type { RouteDefinition } from '../routes.ts';
import { SIGNED_IN } from './access.ts';

export const GRAPHQL_ROUTES = [
  {
    method: 'POST',
    path: '/graphql',
    operationId: 'postGraphql',
    summary:
      'GraphQL over HTTP: every read and write of this API but /auth/*, with the same roles and errors; ' +
      'a batch of at most 10 operations; 400 before execution for parse errors and limits (depth 10, ' +
      '30 aliases, a cost budget)',
    tag: 'GraphQL',
    fn: 'graphql',
    // Each field checks its own route's roles; any signed-in user may ask.
    ...SIGNED_IN,
    request: { body: GraphqlRequestBodySchema },
    responses: {
      200: {
        description: 'data and errors (errors carry problem type, status, requestId)',
        schema: GraphqlResponseSchema,
      },
    },
  },
  {
    method: 'GET',
    path: '/graphql',
    operationId: 'getGraphiql',
    summary: 'GraphiQL, the GraphQL playground (the twin; in AWS only with the graphqlIntrospection context)',
    tag: 'GraphQL',
    fn: 'graphql',
    access: 'public',
    responses: { 200: { description: 'HTML playground', contentType: 'text/html' } },
  },
  {
    method: 'GET',
    path: '/graphql/{asset}',
    operationId: 'getGraphiqlAsset',
    summary: "GraphiQL's static files, served from its npm packages",
    tag: 'GraphQL',
    fn: 'graphql',
    access: 'public',
    request: { params: DocsAssetParamsSchema },
    responses: { 200: { description: 'A static file', contentType: 'application/octet-stream' } },
  },
] as const satisfies readonly RouteDefinition[];

/**
 * The GraphQL schema's shape, generated from the route table: every JSON route of the REST API
 * but `/auth/*` (they run before a token exists) is a field — GETs under Query, writes under
 * Mutation — typed from the route's zod schemas. Its SDL is generated from this
 * (`npm run generate -w packages/client`, see served-schema.ts); `served.ts` builds the served
 * schema from that SDL and resolves each field with the route's REST operation (run-route.ts).
 */
import {
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  GraphQLInt,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
} from 'graphql';
import { type RouteDefinition, routeKeyOf } from '#shared/routes.ts';
import { isJsonContentType } from '../http-input.ts';
import { shapeOf } from './run-route.ts';
import { GraphQLJSON, ZodGraphqlTypes } from './zod-types.ts';

const SCHEMA_DESCRIPTION =
  "Shiftline over GraphQL: the REST API's reads and writes (not /auth/*), with the same roles, " +
  'validation, errors (extensions.type/status/requestId as problem+json) and cursors. Live events ' +
  'stay on the WebSocket API: there are no subscriptions.';

/** Routes GraphQL serves: JSON answers, a token required, not sign-up/login/tokens. */
export const isGraphqlRoute = (route: RouteDefinition): boolean =>
  route.access !== 'public' &&
  !route.path.startsWith('/auth/') &&
  route.fn !== 'graphql' &&
  Object.values(route.responses).every(
    (response) => response.contentType === undefined || isJsonContentType(response.contentType),
  );

/** `getContract` → `contract`, `listContracts` → `contracts`, `getMe` → `me`; writes keep their id. */
export const fieldNameOf = (route: RouteDefinition): string => {
  if (route.method !== 'GET') return route.operationId;
  const name = route.operationId.replace(/^(get|list)(?=[A-Z])/, '');
  return name.charAt(0).toLowerCase() + name.slice(1);
};

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

const argumentsOf = (route: RouteDefinition, types: ZodGraphqlTypes): GraphQLFieldConfigArgumentMap => {
  const name = pascal(route.operationId);
  const args: GraphQLFieldConfigArgumentMap = {};
  for (const [key, schema] of Object.entries({
    ...shapeOf(route.request?.params),
    ...shapeOf(route.request?.query),
  }))
    args[key] = { type: types.input(schema, `${name}${pascal(key)}`), description: schema.description };
  if (route.request?.body !== undefined)
    args.input = { type: types.input(route.request.body, `${name}Request`) };
  if (route.request?.ifMatch)
    args.expectedVersion = {
      type: GraphQLInt,
      description: 'The version read (REST If-Match): 428 if absent, 412 if stale',
    };
  if (route.request?.idempotent)
    args.idempotencyKey = {
      type: GraphQLString,
      description: 'REST Idempotency-Key: a retry replays the first answer',
    };
  return args;
};

const fieldOf = (route: RouteDefinition, types: ZodGraphqlTypes): GraphQLFieldConfig<unknown, unknown> => {
  const [status, response] = Object.entries(route.responses)[0] ?? [];
  const type =
    response?.schema === undefined || status === '204'
      ? GraphQLJSON
      : types.output(response.schema, `${pascal(route.operationId)}Result`);
  const roles = route.access === 'public' ? 'anyone' : route.access.roles.join(', ');
  return {
    type,
    description: `${route.summary} (REST: ${routeKeyOf(route)}; roles: ${roles})`,
    args: argumentsOf(route, types),
  };
};

/**
 * The schema's shape over `routes` (no resolvers: served.ts wires them); `extend` adds composed
 * fields to generated types (the single contract request).
 */
export const buildGraphqlSchema = (
  routes: readonly RouteDefinition[],
  extend?: (types: ZodGraphqlTypes) => void,
): GraphQLSchema => {
  const types = new ZodGraphqlTypes();
  const query: Record<string, GraphQLFieldConfig<unknown, unknown>> = {};
  const mutation: Record<string, GraphQLFieldConfig<unknown, unknown>> = {};
  for (const route of routes.filter(isGraphqlRoute))
    (route.method === 'GET' ? query : mutation)[fieldNameOf(route)] = fieldOf(route, types);
  extend?.(types);
  return new GraphQLSchema({
    description: SCHEMA_DESCRIPTION,
    query: new GraphQLObjectType({ name: 'Query', fields: query }),
    mutation: new GraphQLObjectType({ name: 'Mutation', fields: mutation }),
  });
};

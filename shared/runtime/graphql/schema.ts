/**
 * The GraphQL schema, generated from the route table: every JSON route of the REST API but
 * `/auth/*` (they run before a token exists) is a field — GETs under Query, writes under
 * Mutation — typed from the route's zod schemas and resolved by the very operation the REST
 * function runs. So the role check, the zod validation, the services, the policy, cursors,
 * idempotency and If-Match are REST's own; GraphQL only changes the envelope.
 */
import type { Context } from 'aws-lambda';
import {
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  GraphQLInt,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
} from 'graphql';
import type * as z from 'zod';
import type { ServiceContext } from '#domain/context.ts';
import { Forbidden, PreconditionRequired } from '#domain/errors.ts';
import { roleMayCall } from '#domain/policy.ts';
import { type RouteDefinition, routeKeyOf } from '#shared/routes.ts';
import type { AuthContext } from '../auth-context.ts';
import type { AnyRouteInput, HttpEvent, Operation, OperationResult } from '../http.ts';
import { isJsonContentType, parseIdempotencyKey, validateInput } from '../http-input.ts';
import { GraphQLJSON, ZodGraphqlTypes } from './zod-types.ts';

/** What every resolver of one request shares. */
export interface GraphqlContext {
  auth: AuthContext;
  context: ServiceContext;
  requestId: string;
  event: HttpEvent;
  lambdaContext: Context;
}

export type OperationsById = Readonly<Record<string, Operation | undefined>>;

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
const shapeOf = (schema: z.ZodObject | undefined): Record<string, z.ZodType> =>
  (schema?.shape ?? {}) as Record<string, z.ZodType>;

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

const definedEntries = (args: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(
    keys.flatMap((key) => (args[key] === undefined || args[key] === null ? [] : [[key, args[key]]])),
  );

/** Runs the route's REST operation for GraphQL arguments, exactly as the middy stack would. */
export const runRoute = async (
  route: RouteDefinition,
  operation: Operation,
  args: Record<string, unknown>,
  request: GraphqlContext,
): Promise<unknown> => {
  if (roleMayCall(request.auth, route) !== 'allow') throw new Forbidden('Your role may not call this route');
  const routeKey = routeKeyOf(route);
  const { params, query, body } = validateInput(route, {
    params: definedEntries(args, Object.keys(shapeOf(route.request?.params))),
    query: definedEntries(args, Object.keys(shapeOf(route.request?.query))),
    body: args.input ?? undefined,
  });
  const expectedVersion = typeof args.expectedVersion === 'number' ? args.expectedVersion : undefined;
  if (route.request?.ifMatch && expectedVersion === undefined) throw new PreconditionRequired();
  const { auth, context, requestId } = request;
  // Cursors and idempotency records bind to the REST route key: one namespace for both APIs.
  const event = { ...request.event, routeKey };
  const input: AnyRouteInput = {
    params,
    query,
    body,
    auth,
    context,
    requestId,
    ifMatch: expectedVersion,
    event,
  };
  const key = route.request?.idempotent
    ? parseIdempotencyKey(args.idempotencyKey as string | undefined)
    : undefined;
  const result =
    key === undefined ? await operation(input) : await idempotent(operation, input, key, request, route);
  return result.body ?? true;
};

/** The REST path this field stands for, its parameters filled in (`/staff/01J…/credentials`). */
const concretePath = (route: RouteDefinition, params: Record<string, unknown>) =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name] ?? '')));

const idempotent = async (
  operation: Operation,
  input: AnyRouteInput,
  key: string,
  request: GraphqlContext,
  route: RouteDefinition,
): Promise<OperationResult> => {
  const { runIdempotent } = await import('../idempotency.ts');
  // Bound to the REST route's method and concrete path: one key namespace for both APIs.
  const call = {
    userId: request.auth.userId,
    routeKey: input.event.routeKey,
    method: route.method,
    path: concretePath(route, input.params as Record<string, unknown>),
    key,
    body: input.body,
    context: request.lambdaContext,
  };
  return runIdempotent(call, () => operation(input));
};

const fieldOf = (
  route: RouteDefinition,
  operation: Operation,
  types: ZodGraphqlTypes,
): GraphQLFieldConfig<unknown, GraphqlContext> => {
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
    resolve: (_source, args, request) => runRoute(route, operation, args, request),
  };
};

/** Runs a route's operation by its operationId, for fields that compose several routes. */
export type RunOperation = (
  operationId: string,
  args: Record<string, unknown>,
  request: GraphqlContext,
) => Promise<unknown>;

/**
 * The schema over `routes`, each resolved by its operation (missing ones are a build error);
 * `extend` adds composed fields to generated types (the single contract request).
 */
export const buildGraphqlSchema = (
  routes: readonly RouteDefinition[],
  operations: OperationsById,
  extend?: (types: ZodGraphqlTypes, run: RunOperation) => void,
): GraphQLSchema => {
  const types = new ZodGraphqlTypes();
  const query: Record<string, GraphQLFieldConfig<unknown, GraphqlContext>> = {};
  const mutation: Record<string, GraphQLFieldConfig<unknown, GraphqlContext>> = {};
  for (const route of routes.filter(isGraphqlRoute)) {
    const operation = operations[route.operationId];
    if (operation === undefined) throw new Error(`GraphQL: no operation ${route.operationId}`);
    (route.method === 'GET' ? query : mutation)[fieldNameOf(route)] = fieldOf(route, operation, types);
  }
  const run: RunOperation = (operationId, args, request) => {
    const route = routes.find((candidate) => candidate.operationId === operationId);
    const operation = operations[operationId];
    if (route === undefined || operation === undefined)
      throw new Error(`GraphQL: no operation ${operationId}`);
    return runRoute(route, operation, args, request);
  };
  extend?.(types, run);
  return new GraphQLSchema({
    description: SCHEMA_DESCRIPTION,
    query: new GraphQLObjectType({ name: 'Query', fields: query }),
    mutation: new GraphQLObjectType({ name: 'Mutation', fields: mutation }),
  });
};

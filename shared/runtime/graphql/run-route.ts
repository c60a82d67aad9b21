/**
 * What a GraphQL field does: the REST operation of its route, run exactly as the middy stack
 * would — the route's role check, the zod validation of its parameters and body, If-Match as
 * `expectedVersion`, Idempotency-Key as `idempotencyKey` — so roles, validation, services, the
 * policy, cursors and idempotency are REST's own; GraphQL only changes the envelope.
 */
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import type { ServiceContext } from '#domain/context.ts';
import { Forbidden, PreconditionRequired } from '#domain/errors.ts';
import { roleMayCall } from '#domain/policy.ts';
import { routeKeyOf } from '#shared/routes/route-key.ts';
import type { RouteDefinition } from '#shared/routes.ts';
import type { AuthContext } from '../auth-context.ts';
import type { AnyRouteInput, HttpEvent, Operation, OperationResult } from '../http.ts';
import { parseIdempotencyKey, validateInput } from '../http-input.ts';

/** What every resolver of one request shares. */
export interface GraphqlContext {
  auth: AuthContext;
  context: ServiceContext;
  requestId: string;
  event: HttpEvent;
  lambdaContext: Context;
}

/** Runs a route's operation by its operationId, for fields that compose several routes. */
export type RunOperation = (
  operationId: string,
  args: Record<string, unknown>,
  request: GraphqlContext,
) => Promise<unknown>;

export const shapeOf = (schema: z.ZodObject | undefined): Record<string, z.ZodType> =>
  (schema?.shape ?? {}) as Record<string, z.ZodType>;

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

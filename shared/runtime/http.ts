/**
 * `httpFunction(routes, operations)`: the middy handler of one capability function. It dispatches on
 * API Gateway's `routeKey` to the operation named by the route's `operationId`; the type of
 * `operations` requires exactly the operations of that function's routes, each typed from its
 * route's schemas. The stack (DESIGN.md "Runtime conventions"), outermost first:
 *
 *   problem error handler → request id + logger context → header normalizer → route + session
 *   (revocation) + role check → JSON body parser → zod validation + If-Match → operation (idempotent when asked)
 *
 * The role check runs before the body is read, so a role that may never call the route learns
 * nothing about its input schema (403 before 400). Each operation gets its service context (the
 * caller, the clock, the request id) ready, so handlers only parse, call one service and answer.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import type { ServiceContext } from '#domain/context.ts';
import { Forbidden, NotFound, Unauthorized } from '#domain/errors.ts';
import type { TokenSession } from '#domain/identity/sessions.ts';
import { roleMayCall } from '#domain/policy.ts';
import type { Role } from '#domain/roles.ts';
import type { HttpFunctionName } from '#shared/functions.ts';
import { routeKeyOf } from '#shared/routes/route-key.ts';
import type { Route, RouteDefinition } from '#shared/routes.ts';
import { type AuthContext, authContextFromClaims, claimsOf } from './auth-context.ts';
import {
  type HttpEvent,
  isJsonContentType,
  parseIdempotencyKey,
  parseIfMatch,
  parseJsonBody,
  type ValidatedInput,
  validateInput,
} from './http-input.ts';
import { logger } from './logger.ts';
import { type HttpResult, problemErrorHandler, REQUEST_ID_HEADER, requestIdOf } from './problem.ts';
import { serviceContextOf } from './service-context.ts';

export type { HttpEvent } from './http-input.ts';
export { etagHeader, etagOf, withEtag } from './http-input.ts';

type RequestOf<R> = R extends { request: infer Q } ? Q : Record<never, never>;
type SchemaOf<R, K extends string> = RequestOf<R> extends { readonly [P in K]: infer S } ? S : undefined;
type ObjectOf<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** What an operation of a specific route receives, typed from the route's schemas and flags. */
export interface RouteInput<R> {
  params: ObjectOf<SchemaOf<R, 'params'>>;
  query: ObjectOf<SchemaOf<R, 'query'>>;
  body: SchemaOf<R, 'body'> extends z.ZodType ? z.output<SchemaOf<R, 'body'>> : undefined;
  /** The caller; absent only on public routes called without a token. */
  auth: R extends { access: 'public' } ? AuthContext | undefined : AuthContext;
  /** What the operation's service call carries: the caller, the clock, the request id. */
  context: R extends { access: 'public' } ? ServiceContext | undefined : ServiceContext;
  requestId: string;
  /** The version named by If-Match, on routes with `ifMatch: true`. */
  ifMatch: RequestOf<R> extends { ifMatch: true } ? number : undefined;
  event: HttpEvent;
}

/** What an operation of any route receives (routes built at run time, tests). */
export interface AnyRouteInput {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  auth: AuthContext | undefined;
  context: ServiceContext | undefined;
  requestId: string;
  ifMatch: number | undefined;
  event: HttpEvent;
}

export type OperationInput<R = RouteDefinition> = RouteDefinition extends R ? AnyRouteInput : RouteInput<R>;

/** JSON by default; a non-JSON `contentType` sends a string as is and bytes as base64. */
export type OperationResult =
  | { status: number; headers?: Record<string, string>; body?: unknown; contentType?: undefined }
  | { status: number; headers?: Record<string, string>; body: string | Uint8Array; contentType: string };

export type Operation<R = RouteDefinition> = (input: OperationInput<R>) => Promise<OperationResult>;

/** Exactly one operation per route of the function, keyed by operationId. */
export type Operations<F extends HttpFunctionName> = {
  [R in Extract<Route, { fn: F }> as R['operationId']]: Operation<R>;
};

/** What the middlewares learned about the request, for the next ones and the operation. */
interface RequestState {
  route: RouteDefinition;
  auth: AuthContext | undefined;
  body?: unknown;
  input?: ValidatedInput;
  ifMatch?: number;
}

// Middy hands the handler only (event, context): the state travels keyed by the event object.
const states = new WeakMap<HttpEvent, RequestState>();

const stateOf = (event: HttpEvent): RequestState => {
  const state = states.get(event);
  if (state === undefined) throw new Error('request state missing: is the route middleware registered?');
  return state;
};

type Middleware = MiddlewareObj<HttpEvent, HttpResult, Error, Context>;

/** Request id and Lambda context on every log line of the request (keys reset per request). */
const requestContext = (): Middleware => ({
  before: ({ event, context }) => {
    logger.resetKeys();
    logger.refreshSampleRateCalculation();
    logger.addContext(context);
    logger.appendKeys({ requestId: requestIdOf(event), routeKey: event.routeKey });
  },
});

/** A 403 that names the roles that may call, so a client (and its developer) knows why. */
const forbiddenRoute = (route: RouteDefinition) => {
  const allowedRoles = route.access === 'public' ? [] : [...route.access.roles];
  return new Forbidden(`Your role may not call this route; it is for ${allowedRoles.join(', ')}`, {
    allowedRoles,
  });
};

/** Throws SessionRevoked when the token's session has ended (shared/runtime/session-guard.ts). */
export type SessionCheck = (
  userId: string,
  token: TokenSession & { roles?: readonly Role[] },
) => Promise<void>;

// Loaded with the first token a function sees: the docs function (public routes only) never does.
let guardModule: Promise<typeof import('./session-guard.ts')> | undefined;
export const checkSession: SessionCheck = async (userId, token) => {
  guardModule ??= import('./session-guard.ts');
  await (await guardModule).sessionGuard.check(userId, token);
};

const routeAndRole = (routes: ReadonlyMap<string, RouteDefinition>, sessions?: SessionCheck): Middleware => ({
  before: async ({ event }) => {
    const route = routes.get(event.routeKey);
    if (route === undefined)
      throw new NotFound(`No route ${event.requestContext.http?.method ?? ''} ${event.rawPath}`);
    const claims = claimsOf(event);
    const auth = claims === undefined ? undefined : authContextFromClaims(claims);
    if (route.access !== 'public' && auth === undefined) throw new Unauthorized('A bearer token is required');
    // Revocation before the role: a revoked token learns nothing, not even what it may call.
    if (auth !== undefined && sessions !== undefined)
      await sessions(auth.userId, { ...(auth.session ?? { issuedAt: 0 }), roles: auth.roles });
    if (roleMayCall(auth, route) !== 'allow') throw forbiddenRoute(route);
    states.set(event, { route, auth });
  },
});

const jsonBody = (): Middleware => ({
  before: ({ event }) => {
    stateOf(event).body = parseJsonBody(event);
  },
});

const validation = (): Middleware => ({
  before: ({ event }) => {
    const state = stateOf(event);
    state.input = validateInput(state.route, {
      params: event.pathParameters,
      query: event.queryStringParameters,
      body: state.body,
    });
    if (state.route.request?.ifMatch) state.ifMatch = parseIfMatch(event.headers['if-match']);
  },
});

export const toHttpResult = (result: OperationResult, requestId: string): HttpResult => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = value;
  headers[REQUEST_ID_HEADER] = requestId;
  if (result.contentType !== undefined && !isJsonContentType(result.contentType)) {
    headers['content-type'] = result.contentType;
    if (typeof result.body === 'string') return { statusCode: result.status, headers, body: result.body };
    const body = Buffer.from(result.body).toString('base64');
    return { statusCode: result.status, headers, body, isBase64Encoded: true };
  }
  if (result.body === undefined) return { statusCode: result.status, headers };
  headers['content-type'] = result.contentType ?? 'application/json';
  return { statusCode: result.status, headers, body: JSON.stringify(result.body) };
};

type IdempotencyModule = typeof import('./idempotency.ts');

/**
 * How a function with idempotent routes loads the idempotency store: `withIdempotency`
 * (shared/runtime/idempotent-routes.ts). Passed in rather than imported here, so functions
 * without such routes (auth, audit, docs) do not bundle Powertools idempotency at all.
 */
export interface IdempotencyOption {
  idempotency?: () => Promise<IdempotencyModule>;
}

const run = async (
  operation: Operation,
  input: OperationInput,
  state: RequestState,
  context: Context,
  idempotency: (() => Promise<IdempotencyModule>) | undefined,
): Promise<OperationResult> => {
  const key = state.route.request?.idempotent
    ? parseIdempotencyKey(input.event.headers['idempotency-key'])
    : undefined;
  if (key === undefined || idempotency === undefined || input.auth === undefined) return operation(input);
  const { runIdempotent } = await idempotency();
  const call = {
    userId: input.auth.userId,
    routeKey: input.event.routeKey,
    method: input.event.requestContext.http.method,
    path: input.event.rawPath,
    key,
    body: input.body,
    context,
  };
  return runIdempotent(call, async () => {
    const result = await operation(input);
    if (result.contentType !== undefined) throw new Error('idempotent operations answer JSON');
    return result;
  });
};

/**
 * The middy stack over any set of routes: `httpFunction` for real functions (with the session
 * check), tests with their own routes and check.
 */
export const createHttpHandler = (
  name: string,
  routeList: readonly RouteDefinition[],
  implementations: Readonly<Record<string, Operation | undefined>>,
  options: { sessions?: SessionCheck } & IdempotencyOption = {},
) => {
  const routes = new Map<string, RouteDefinition>();
  for (const route of routeList) {
    if (implementations[route.operationId] === undefined) {
      throw new Error(`function ${name} does not implement ${route.operationId}`);
    }
    routes.set(routeKeyOf(route), route);
  }
  const idempotentRoute = routeList.find((route) => route.request?.idempotent);
  if (idempotentRoute !== undefined && options.idempotency === undefined) {
    throw new Error(
      `function ${name} serves ${idempotentRoute.operationId} (idempotent): pass withIdempotency`,
    );
  }
  // Loaded by the first request that carries an Idempotency-Key, not at cold start (its own
  // chunk in a split bundle: docs/decisions.md "Cold starts and bundle sizes").
  const loadIdempotency = idempotentRoute === undefined ? undefined : options.idempotency;
  let loadingIdempotency: Promise<IdempotencyModule> | undefined;
  const idempotency =
    loadIdempotency &&
    (() => {
      loadingIdempotency ??= loadIdempotency();
      return loadingIdempotency;
    });

  return middy<HttpEvent, HttpResult, Error, Context>()
    .use(problemErrorHandler<HttpEvent>())
    .use(requestContext())
    .use(httpHeaderNormalizer() as unknown as Middleware)
    .use(routeAndRole(routes, options.sessions))
    .use(jsonBody())
    .use(validation())
    .handler(async (event, context) => {
      const state = stateOf(event);
      const operation = implementations[state.route.operationId] as Operation;
      const requestId = requestIdOf(event);
      const { params, query, body } = state.input as ValidatedInput;
      const { auth, ifMatch } = state;
      const serviceContext = auth === undefined ? undefined : serviceContextOf({ auth, requestId });
      const input = { params, query, body, auth, context: serviceContext, requestId, ifMatch, event };
      const result = await run(operation, input as OperationInput, state, context, idempotency);
      return toHttpResult(result, requestId);
    });
};

/**
 * The handler of one capability function, given its slice of the route table (its module under
 * shared/routes/, which shared/routes.ts concatenates): one operation per route, type-checked.
 * A function imports only its own routes, so its bundle carries only its own schemas.
 */
export const httpFunction = <const R extends readonly RouteDefinition[]>(
  routes: R,
  operations: NoInfer<Operations<R[number]['fn']>>,
  options: IdempotencyOption = {},
) => {
  const fn = routes[0]?.fn;
  const stray = routes.find((route) => route.fn !== fn);
  if (fn === undefined || stray !== undefined) throw new Error(`routes of several functions: ${stray?.fn}`);
  return createHttpHandler(
    fn,
    routes,
    operations as unknown as Readonly<Record<string, Operation | undefined>>,
    { ...options, sessions: checkSession },
  );
};

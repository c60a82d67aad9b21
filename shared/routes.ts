/**
 * The route table: every HTTP route the service serves, declared once. The CDK stack builds
 * the HTTP API from it, the twin's gateway routes with it, the OpenAPI document is generated
 * from it, and each capability function dispatches on its `operationId`.
 */

import type * as z from 'zod';
import type { PolicyRef } from '#domain/policy.ts';
import type { Role } from '#domain/roles.ts';
import type { HttpFunctionName } from './functions.ts';
import type { RouteThrottleClass } from './limits.ts';
import { APPOINTMENT_ROUTES } from './routes/appointments.ts';
import { AUDIT_ROUTES } from './routes/audit.ts';
import { AUTH_ROUTES } from './routes/auth.ts';
import { CONTRACT_ROUTES } from './routes/contracts.ts';
import { CREDENTIALING_ROUTES } from './routes/credentialing.ts';
import { CREDENTIALS_ROUTES } from './routes/credentials.ts';
import { DOCS_ROUTES } from './routes/docs.ts';
import { GRAPHQL_ROUTES } from './routes/graphql.ts';
import { MESSAGING_ROUTES } from './routes/messaging.ts';
import { STAFF_ROUTES } from './routes/staff.ts';
import { SYNC_ROUTES } from './routes/sync.ts';
import { USERS_ROUTES } from './routes/users.ts';
import { WEBHOOK_ROUTES } from './routes/webhooks.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteResponse {
  description: string;
  /** JSON body schema; omit for no body. */
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
}

export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway path syntax: `/staff/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** The Lambda function (one per capability) that serves the route. */
  fn: HttpFunctionName;
  /**
   * `public`: no token (the JWT authorizer is off); otherwise the roles allowed to call, derived
   * from the policy by `performs` or `SIGNED_IN` (shared/routes/access.ts), never listed by hand.
   */
  access: 'public' | { roles: readonly Role[] };
  request?: {
    params?: z.ZodObject;
    query?: z.ZodObject;
    body?: z.ZodType;
    /** The route honours `Idempotency-Key` (POSTs that create). */
    idempotent?: boolean;
    /** The route requires `If-Match` with the item's ETag. */
    ifMatch?: boolean;
  };
  /** Success responses by status code. Problem responses are derived (see shared/runtime/openapi.ts). */
  responses: Record<number, RouteResponse>;
  /**
   * Problem statuses the route answers beyond the derived ones (e.g. 401 and 429 for login,
   * 409 for a duplicate, 422 for a business rule).
   */
  problems?: readonly number[];
  /** The resource and action the route performs: its `access.roles` come from it. */
  policy?: PolicyRef;
  /**
   * A route throttle tighter than the stage's (shared/limits.ts ROUTE_THROTTLES): `auth` for
   * credential checks, `mail` for routes that send mail unauthenticated.
   */
  throttle?: RouteThrottleClass;
}

/** Every route, capability by capability (one module each under shared/routes/). */
export const ROUTES = [
  ...DOCS_ROUTES,
  ...AUTH_ROUTES,
  ...USERS_ROUTES,
  ...STAFF_ROUTES,
  ...CREDENTIALS_ROUTES,
  ...CREDENTIALING_ROUTES,
  ...CONTRACT_ROUTES,
  ...APPOINTMENT_ROUTES,
  ...MESSAGING_ROUTES,
  ...AUDIT_ROUTES,
  ...GRAPHQL_ROUTES,
  ...SYNC_ROUTES,
  ...WEBHOOK_ROUTES,
] as const;

export type Route = (typeof ROUTES)[number];
export type OperationId = Route['operationId'];

export { routeKeyOf } from './routes/route-key.ts';

export const routesOf = (fn: HttpFunctionName): readonly RouteDefinition[] =>
  (ROUTES as readonly RouteDefinition[]).filter((route) => route.fn === fn);

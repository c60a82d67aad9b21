/**
 * The OpenAPI 3.1 document, generated from the route table: summaries, tags, schemas, roles
 * (`x-roles` and in the description), the bearer scheme, and problem responses derived from
 * what each route can refuse. The API's conventions are in `info.description`.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { ROLES } from '#domain/roles.ts';
import { GatewayErrorSchema, ProblemSchema } from '#domain/schemas/common.ts';
import '#domain/zod-openapi.ts';
import { REQUEST_EXAMPLES } from '#shared/routes/examples.ts';
import { ROUTES, type RouteDefinition, type RouteResponse } from '#shared/routes.ts';
import { IDEMPOTENCY_TTL_SECONDS, MAX_BODY_BYTES } from './http-input.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_PREFIX } from './problem.ts';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export const BEARER_SCHEME = 'bearerAuth';

const PROBLEM_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid input: malformed JSON, a forbidden key, or invalid or unknown fields (see `errors[]`)',
  401: 'Bad login credentials',
  403: 'Your role (or your relation to the item) does not allow this',
  404: 'Absent, or hidden from you',
  409: 'Conflict: the current state (in `currentState`) or a duplicate refuses it, or a retry with the same Idempotency-Key is still running',
  412: 'If-Match does not name the current version (or is `*` / weak)',
  413: `Body over ${MAX_BODY_BYTES / 1024} KB`,
  415: 'The body is not JSON',
  422: 'A business rule refuses it (see `details`), or the Idempotency-Key was used with another body',
  428: 'If-Match is missing',
  410: "Gone: no longer kept (a sync cursor past the change log's retention: sync again without `since`)",
  429: 'Too many attempts',
  500: 'Unexpected error (the body carries no internals; quote `requestId`)',
  503: 'A dependency is unavailable; retry later',
};

const hasInput = (route: RouteDefinition): boolean =>
  route.request?.params !== undefined ||
  route.request?.query !== undefined ||
  route.request?.body !== undefined;

const isRestricted = (route: RouteDefinition): boolean =>
  route.access !== 'public' &&
  ROLES.some((role) => !(route.access as { roles: readonly string[] }).roles.includes(role));

/** The problem statuses a route can answer, from what it declares. */
export const problemStatusesOf = (route: RouteDefinition): number[] => {
  const statuses = new Set<number>(route.problems ?? []);
  if (hasInput(route)) statuses.add(400);
  if (isRestricted(route)) statuses.add(403);
  if (route.request?.params !== undefined) statuses.add(404);
  if (route.request?.ifMatch) for (const status of [409, 412, 428]) statuses.add(status);
  if (route.request?.body !== undefined) for (const status of [413, 415]) statuses.add(status);
  if (route.request?.idempotent) for (const status of [409, 422]) statuses.add(status);
  for (const status of [500, 503]) statuses.add(status);
  return [...statuses].sort((a, b) => a - b);
};

const successResponse = (response: RouteResponse): ResponseConfig => {
  const contentType = response.contentType ?? 'application/json';
  if (response.schema !== undefined) {
    return { description: response.description, content: { [contentType]: { schema: response.schema } } };
  }
  if (contentType === 'application/json')
    return { description: response.description, content: { [contentType]: { schema: { type: 'object' } } } };
  const schema = contentType.startsWith('text/')
    ? { type: 'string' as const }
    : { type: 'string' as const, format: 'binary' };
  return { description: response.description, content: { [contentType]: { schema } } };
};

const responsesOf = (route: RouteDefinition): Record<string, ResponseConfig> => {
  const responses: Record<string, ResponseConfig> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] =
      Number(status) === 204 ? { description: response.description } : successResponse(response);
  }
  if (route.access !== 'public') {
    responses[401] = {
      description: "Missing, invalid or expired token: API Gateway's own answer",
      content: { 'application/json': { schema: GatewayErrorSchema } },
    };
  }
  for (const status of problemStatusesOf(route)) {
    responses[status] = {
      description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
    };
  }
  return responses;
};

const rolesText = (route: RouteDefinition): string =>
  route.access === 'public' ? 'Public: no token needed.' : `Roles: ${route.access.roles.join(', ')}.`;

const headersOf = (route: RouteDefinition) => {
  const headers: Record<string, z.ZodType> = {};
  if (route.request?.ifMatch)
    headers['If-Match'] = z.string().describe('The strong ETag of the item you read, e.g. "3"');
  if (route.request?.idempotent) {
    headers['Idempotency-Key'] = z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe(`Makes a retry return the original response (kept ${IDEMPOTENCY_TTL_SECONDS / 3600} h)`);
  }
  return Object.keys(headers).length === 0 ? undefined : z.object(headers);
};

const register = (registry: OpenAPIRegistry, route: RouteDefinition): void => {
  const request = route.request;
  const headers = headersOf(route);
  registry.registerPath({
    method: route.method.toLowerCase() as Lowercase<RouteDefinition['method']>,
    path: route.path,
    operationId: route.operationId,
    summary: route.summary,
    description: rolesText(route),
    tags: [route.tag],
    'x-roles': route.access === 'public' ? [] : [...route.access.roles],
    security: route.access === 'public' ? [] : [{ [BEARER_SCHEME]: [] }],
    request: {
      ...(request?.params ? { params: request.params } : {}),
      ...(request?.query ? { query: request.query } : {}),
      ...(headers ? { headers } : {}),
      ...(request?.body
        ? {
            body: {
              required: true,
              content: {
                'application/json': { schema: request.body, example: REQUEST_EXAMPLES[route.operationId] },
              },
            },
          }
        : {}),
    },
    responses: responsesOf(route),
  });
};

export interface OpenApiOptions {
  version: string;
  /** Base URLs of the API (the docs function passes the caller's host). */
  servers: readonly string[];
  /** Defaults to the route table. */
  routes?: readonly RouteDefinition[];
}

/** The document for every route in the table. Pure: build once per cold start. */
export const buildOpenApiDocument = (options: OpenApiOptions): OpenApiDocument => {
  const registry = new OpenAPIRegistry();
  registry.register('Problem', ProblemSchema);
  registry.register('GatewayError', GatewayErrorSchema);
  registry.registerComponent('securitySchemes', BEARER_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Cognito id or access token (from POST /auth/login)',
  });
  for (const route of options.routes ?? ROUTES) register(registry, route);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Shiftline API', version: options.version, description: CONVENTIONS },
    servers: options.servers.map((url) => ({ url })),
  });
};

const CONVENTIONS = `Shiftline: staff profiles, credentials, contracts, appointments, secure messaging and audit for health staffing agencies.

## Conventions
- **Auth**: \`Authorization: Bearer <idToken or accessToken>\` on every route except those marked public. A missing, invalid or expired token gets API Gateway's own \`401 {"message":"Unauthorized"}\`; stage throttling its own \`429 {"message":"Too Many Requests"}\`. Each operation lists its roles (\`x-roles\`).
- **Bodies** are JSON (\`Content-Type: application/json\`, otherwise 415), at most ${MAX_BODY_BYTES / 1024} KB (413). Unknown fields are 400, never dropped; so are the keys \`__proto__\`, \`constructor\` and \`prototype\` at any depth. A route without a body accepts none (or \`{}\`); a route without query parameters ignores the query string.
- **Errors** are \`application/problem+json\` (RFC 9457): \`{ type, title, status, detail, requestId, errors?, currentState?, details? }\`. \`type\` is \`${PROBLEM_TYPE_PREFIX}<code>\` with code one of bad-request, validation-failed, unauthorized, session-revoked (a token whose session ended: log in again), forbidden, not-found, conflict, precondition-failed, payload-too-large, unsupported-media-type, rule-violation, precondition-required, too-many-requests, gone (a sync cursor past the change log's retention: sync again without \`since\`), internal, dependency-unavailable. 5xx bodies carry no internals.
- **Hidden vs forbidden**: a role that may never use a route gets 403; a caller who may use it but not see the item gets 404.
- **Concurrency**: single-item GETs and responses that return an item carry a strong \`ETag: "<version>"\`. Routes marked with If-Match require it: missing → 428; \`*\`, weak or stale → 412. State transitions need no If-Match; losing a race is 409.
- **Idempotency**: POSTs that create accept \`Idempotency-Key\` (1–255 printable ASCII characters), scoped to the caller and the route and kept ${IDEMPOTENCY_TTL_SECONDS / 3600} h. A retry with the same key and body returns the original response (with \`idempotent-replayed: true\`); the same key with another body is 422; a retry while the first is running is 409. A request that failed leaves no record.
- **Lists**: \`?limit=\` (1–100, default 25) and \`?cursor=\`; \`{ items, nextCursor }\`. Cursors are opaque and bound to the caller and the query (a foreign or altered cursor is 400).
- **Ids and times**: entity ids are ULIDs, user ids Cognito subs; \`issueDate\`, \`expiryDate\`, \`startDate\`, \`endDate\` are \`YYYY-MM-DD\` (UTC days), every other time ISO 8601 UTC.
- **Request ids**: every response the service answers carries \`x-request-id\`, the same id as the problem's \`requestId\` and the audit entry of any change the request made.
- **Real time**: WebSocket at the realtime endpoint with \`?token=<idToken>\`; its actions, frames and close codes are in the AsyncAPI document at [/asyncapi.json](/asyncapi.json).`;

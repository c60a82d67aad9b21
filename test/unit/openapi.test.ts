import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ListQuerySchema } from '#domain/schemas/common.ts';
import '#domain/zod-openapi.ts';
import { buildOpenApiDocument, problemStatusesOf } from '#runtime/openapi.ts';
import { REQUEST_EXAMPLES } from '#shared/routes/examples.ts';
import { ROUTES, type RouteDefinition } from '#shared/routes.ts';

const IdParams = z.object({ id: z.string() }).strict();
const Body = z.object({ name: z.string() }).strict();
const route = (overrides: Partial<RouteDefinition>): RouteDefinition => ({
  method: 'GET',
  path: '/things',
  operationId: 'listThings',
  summary: 'List things',
  tag: 'Things',
  fn: 'docs',
  access: { roles: ['recruiter', 'admin'] },
  responses: { 200: { description: 'OK', schema: Body } },
  ...overrides,
});

const SAMPLE: RouteDefinition[] = [
  route({ request: { query: ListQuerySchema } }),
  route({
    method: 'POST',
    operationId: 'createThing',
    request: { body: Body, idempotent: true },
    responses: { 201: { description: 'Created', schema: Body } },
    problems: [409],
  }),
  route({
    method: 'PATCH',
    path: '/things/{id}',
    operationId: 'updateThing',
    access: { roles: ['admin', 'recruiter', 'credentialing', 'staff'] },
    request: { params: IdParams, body: Body, ifMatch: true },
  }),
  route({ path: '/open', operationId: 'getOpen', access: 'public', problems: [401, 429] }),
];

type Operation = {
  operationId: string;
  tags: string[];
  description: string;
  security: unknown[];
  'x-roles': string[];
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
const operationOf = (document: ReturnType<typeof buildOpenApiDocument>, method: string, path: string) =>
  (document.paths?.[path] as Record<string, Operation> | undefined)?.[method] as Operation;

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument({ version: '1.2.3', servers: ['https://api.example.com'] });

  it('is OpenAPI 3.1 with the version, servers and conventions', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe('1.2.3');
    expect(document.servers).toEqual([{ url: 'https://api.example.com' }]);
    expect(document.info.description).toContain('application/problem+json');
    expect(document.info.description).toContain('Idempotency-Key');
    expect(document.info.description).toContain('If-Match');
  });

  it('has every route of the table, with its operationId, summary and tag', () => {
    for (const entry of ROUTES as readonly RouteDefinition[]) {
      const operation = operationOf(document, entry.method.toLowerCase(), entry.path);
      expect(operation, `${entry.method} ${entry.path}`).toMatchObject({
        operationId: entry.operationId,
        summary: entry.summary,
        tags: [entry.tag],
      });
    }
  });

  it('declares the bearer scheme and the Problem schema', () => {
    expect(document.components?.securitySchemes?.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(document.components?.schemas).toHaveProperty('Problem');
    expect(document.components?.schemas).toHaveProperty('GatewayError');
  });
});

describe('OpenAPI operations derived from routes', () => {
  const document = buildOpenApiDocument({ version: '1', servers: [], routes: SAMPLE });
  const list = operationOf(document, 'get', '/things');
  const create = operationOf(document, 'post', '/things');
  const update = operationOf(document, 'patch', '/things/{id}');
  const open = operationOf(document, 'get', '/open');
  const statuses = (operation: Operation) =>
    Object.keys(operation.responses)
      .map(Number)
      .sort((a, b) => a - b);

  it('lists the roles as x-roles and in the description, and requires the bearer token', () => {
    expect(list['x-roles']).toEqual(['recruiter', 'admin']);
    expect(list.description).toContain('recruiter, admin');
    expect(list.security).toEqual([{ bearerAuth: [] }]);
    expect(open.security).toEqual([]);
    expect(open.description).toMatch(/public/i);
  });

  it('derives the problem responses from what each route can refuse', () => {
    expect(statuses(list)).toEqual([200, 400, 401, 403, 500, 503]);
    expect(statuses(create)).toEqual([201, 400, 401, 403, 409, 413, 415, 422, 500, 503]);
    expect(statuses(update)).toEqual([200, 400, 401, 404, 409, 412, 413, 415, 428, 500, 503]);
    expect(statuses(open)).toEqual([200, 401, 429, 500, 503]);
  });

  it('answers the gateway 401 as GatewayError and the service problems as problem+json', () => {
    expect(list.responses[401]?.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/GatewayError',
    });
    expect(list.responses[403]?.content?.['application/problem+json']?.schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
    expect(open.responses[401]?.content).toHaveProperty('application/problem+json');
  });

  it('documents params, query, the If-Match and Idempotency-Key headers and the body', () => {
    const names = (operation: Operation) =>
      (operation.parameters ?? []).map((parameter) => `${parameter.in}:${parameter.name}`);
    expect(names(list)).toEqual(expect.arrayContaining(['query:limit', 'query:cursor']));
    expect(names(update)).toEqual(expect.arrayContaining(['path:id', 'header:If-Match']));
    expect(names(create)).toContain('header:Idempotency-Key');
    expect(create.requestBody).toMatchObject({ required: true, content: { 'application/json': {} } });
  });

  it('counts a route every role may call as not role-restricted', () => {
    expect(problemStatusesOf(SAMPLE[2] as RouteDefinition)).not.toContain(403);
  });
});

describe('request examples', () => {
  const document = buildOpenApiDocument({ version: '1.0.0', servers: [] });

  it('give every route that takes a body an example its schema accepts', () => {
    for (const route of ROUTES as readonly RouteDefinition[]) {
      const body = route.request?.body;
      if (body === undefined) continue;
      const example = REQUEST_EXAMPLES[route.operationId];
      expect(example, route.operationId).toBeDefined();
      expect(body.safeParse(example).error?.issues, route.operationId).toBeUndefined();
      const operation = operationOf(document, route.method.toLowerCase(), route.path) as {
        requestBody?: { content: Record<string, { example?: unknown }> };
      };
      expect(operation.requestBody?.content['application/json']?.example).toEqual(example);
    }
  });

  it('spell out which version an acknowledgement takes', () => {
    const schemas = document.components?.schemas as Record<
      string,
      { properties: Record<string, { description?: string }> }
    >;
    expect(schemas.AcknowledgeContractRequest?.properties.version?.description).toContain('currentVersion');
    expect(schemas.Contract?.properties.version?.description).toContain('ETag');
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { Conflict, DependencyUnavailable, RuleViolation } from '#domain/errors.ts';
import { ListQuerySchema } from '#domain/schemas/common.ts';
import '#domain/zod-openapi.ts';
import { createHttpHandler, etagHeader, type Operation } from '#runtime/http.ts';
import type { RouteDefinition } from '#shared/routes.ts';
import { captureLogs, claimsFor, httpEvent, jsonOf, lambdaContext } from './support/lambda.ts';

const WidgetSchema = z
  .object({
    name: z.string().min(1),
    size: z.number().int().optional(),
    nested: z.object({ label: z.string() }).strict().optional(),
  })
  .strict();
const IdParams = z.object({ id: z.string().min(1) }).strict();

const ROUTES: RouteDefinition[] = [
  {
    method: 'POST',
    path: '/widgets',
    operationId: 'createWidget',
    summary: 'Create',
    tag: 'Test',
    fn: 'docs',
    access: { roles: ['recruiter', 'admin'] },
    request: { body: WidgetSchema },
    responses: { 201: { description: 'Created' } },
  },
  {
    method: 'PATCH',
    path: '/widgets/{id}',
    operationId: 'updateWidget',
    summary: 'Update',
    tag: 'Test',
    fn: 'docs',
    access: { roles: ['recruiter', 'admin', 'staff'] },
    request: { params: IdParams, body: WidgetSchema.partial(), ifMatch: true },
    responses: { 200: { description: 'Updated' } },
  },
  {
    method: 'GET',
    path: '/widgets',
    operationId: 'listWidgets',
    summary: 'List',
    tag: 'Test',
    fn: 'docs',
    access: { roles: ['recruiter', 'admin', 'staff', 'credentialing'] },
    request: { query: ListQuerySchema },
    responses: { 200: { description: 'List' } },
  },
  {
    method: 'POST',
    path: '/widgets/{id}/archive',
    operationId: 'archiveWidget',
    summary: 'Archive',
    tag: 'Test',
    fn: 'docs',
    access: { roles: ['admin'] },
    request: { params: IdParams },
    responses: { 204: { description: 'Archived' } },
  },
  {
    method: 'GET',
    path: '/public',
    operationId: 'getPublic',
    summary: 'Public',
    tag: 'Test',
    fn: 'docs',
    access: 'public',
    responses: { 200: { description: 'Page', contentType: 'text/html' } },
  },
];

const recruiter = claimsFor(['recruiter'], 'recruiter-1');
const staff = claimsFor(['staff'], 'staff-1');
const admin = claimsFor(['admin'], 'admin-1');

const operations = {
  createWidget: vi.fn<Operation>(async ({ body }) => ({
    status: 201,
    body: { id: 'w1', ...(body as object) },
  })),
  updateWidget: vi.fn<Operation>(async ({ ifMatch, params }) => ({
    status: 200,
    headers: etagHeader((ifMatch as number) + 1),
    body: { id: params.id },
  })),
  listWidgets: vi.fn<Operation>(async ({ query }) => ({
    status: 200,
    body: { items: [], nextCursor: null, query },
  })),
  archiveWidget: vi.fn<Operation>(async () => ({ status: 204 })),
  getPublic: vi.fn<Operation>(async ({ auth }) => ({
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: `<p>${auth === undefined ? 'anonymous' : 'known'}</p>`,
  })),
};

const handler = createHttpHandler('test', ROUTES, operations);
const invoke = (options: Parameters<typeof httpEvent>[0]) => handler(httpEvent(options), lambdaContext());

const expectProblem = (result: Awaited<ReturnType<typeof invoke>>, status: number) => {
  expect(result.statusCode).toBe(status);
  expect(result.headers['content-type']).toBe('application/problem+json');
  const problem = jsonOf(result);
  expect(problem).toMatchObject({ status, requestId: result.headers['x-request-id'] });
  expect(problem.type).toMatch(/^urn:shiftline:problem:/);
  return problem;
};

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  vi.clearAllMocks();
});

describe('HTTP stack: body parsing', () => {
  it('passes a valid JSON body, parsed and validated, to the operation', async () => {
    // Act
    const result = await invoke({
      routeKey: 'POST /widgets',
      body: { name: 'w', size: 3 },
      claims: recruiter,
    });
    // Assess
    expect(result.statusCode).toBe(201);
    expect(result.headers['content-type']).toBe('application/json');
    expect(jsonOf(result)).toEqual({ id: 'w1', name: 'w', size: 3 });
    expect(operations.createWidget.mock.calls[0]?.[0].auth).toMatchObject({
      userId: 'recruiter-1',
      roles: ['recruiter'],
    });
  });

  it('decodes a base64 body', async () => {
    const body = Buffer.from(JSON.stringify({ name: 'b64' })).toString('base64');
    const result = await invoke({
      routeKey: 'POST /widgets',
      body,
      isBase64Encoded: true,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      claims: recruiter,
    });
    expect(result.statusCode).toBe(201);
    expect(jsonOf(result)).toMatchObject({ name: 'b64' });
  });

  it('answers 400 to malformed JSON', async () => {
    const result = await invoke({
      routeKey: 'POST /widgets',
      body: '{"name": ',
      headers: { 'content-type': 'application/json' },
      claims: recruiter,
    });
    expect(expectProblem(result, 400).detail).toBe('The body is not valid JSON');
    expect(operations.createWidget).not.toHaveBeenCalled();
  });

  it.each([
    ['__proto__ at the top', '{"name":"x","__proto__":{"admin":true}}'],
    ['constructor nested', '{"name":"x","nested":{"constructor":{"prototype":{}}}}'],
    ['prototype in an array', '{"name":"x","list":[{"prototype":1}]}'],
  ])('answers 400 to a forbidden key (%s)', async (_case, body) => {
    const result = await invoke({
      routeKey: 'POST /widgets',
      body,
      headers: { 'content-type': 'application/json' },
      claims: recruiter,
    });
    expectProblem(result, 400);
    expect(operations.createWidget).not.toHaveBeenCalled();
  });

  it('answers 413 to a body over 256 KB', async () => {
    const result = await invoke({
      routeKey: 'POST /widgets',
      body: { name: 'x'.repeat(257 * 1024) },
      claims: recruiter,
    });
    expectProblem(result, 413);
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['no content type', {}],
    ['a latin-1 charset', { 'content-type': 'application/json; charset=iso-8859-1' }],
  ])('answers 415 to a body sent as %s', async (_case, headers) => {
    const result = await invoke({
      routeKey: 'POST /widgets',
      body: '{"name":"x"}',
      headers,
      claims: recruiter,
    });
    expectProblem(result, 415);
  });
});

describe('HTTP stack: validation', () => {
  it('answers 400 with one error per unknown field, nested ones included', async () => {
    const result = await invoke({
      routeKey: 'POST /widgets',
      body: { name: 'x', colour: 'red', nested: { label: 'l', extra: 1 } },
      claims: recruiter,
    });
    const problem = expectProblem(result, 400);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { path: 'body.colour', message: 'Unknown field' },
        { path: 'body.nested.extra', message: 'Unknown field' },
      ]),
    );
  });

  it('answers 400 with the path of each invalid field', async () => {
    const result = await invoke({
      routeKey: 'POST /widgets',
      body: { name: '', size: 1.5 },
      claims: recruiter,
    });
    const paths = (expectProblem(result, 400).errors as { path: string }[]).map((error) => error.path);
    expect(paths.sort()).toEqual(['body.name', 'body.size']);
  });

  it('answers 400 to a missing body where one is required', async () => {
    const result = await invoke({ routeKey: 'POST /widgets', claims: recruiter });
    expect(expectProblem(result, 400).errors).toEqual([{ path: 'body', message: expect.any(String) }]);
  });

  it('validates and coerces the query, with defaults', async () => {
    const ok = await invoke({ routeKey: 'GET /widgets', query: {}, claims: staff });
    const bad = await invoke({ routeKey: 'GET /widgets', query: { limit: '0' }, claims: staff });
    expect(jsonOf(ok).query).toEqual({ limit: 25 });
    expect(expectProblem(bad, 400).errors).toEqual([{ path: 'query.limit', message: expect.any(String) }]);
  });

  it('refuses a body on a route that takes none, but accepts {}', async () => {
    const event = { routeKey: 'POST /widgets/{id}/archive', pathParameters: { id: 'w1' }, claims: admin };
    const empty = await invoke({ ...event, body: {} });
    const some = await invoke({ ...event, body: { force: true } });
    expect(empty.statusCode).toBe(204);
    expect(empty.body).toBeUndefined();
    expect(expectProblem(some, 400).errors).toEqual([{ path: 'body', message: 'This route takes no body' }]);
  });
});

describe('HTTP stack: routing and roles', () => {
  it('refuses to build a function that lacks an operation of its routes', () => {
    const { getPublic: _omitted, ...incomplete } = operations;
    expect(() => createHttpHandler('test', ROUTES, incomplete)).toThrow(/does not implement getPublic/);
  });

  it('answers 404 to a route key the function does not serve', async () => {
    const result = await invoke({ routeKey: 'GET /nowhere', claims: admin });
    expectProblem(result, 404);
  });

  it('answers 403 to a role the route does not list, before reading the body', async () => {
    const result = await invoke({
      routeKey: 'POST /widgets',
      body: 'not json',
      headers: { 'content-type': 'application/json' },
      claims: staff,
    });
    const problem = expectProblem(result, 403);
    expect(problem.detail).toBe('Your role may not call this route; it is for recruiter, admin');
    expect(problem.details).toEqual({ allowedRoles: ['recruiter', 'admin'] });
  });

  it('answers 401 on a token route that reached the function without claims', async () => {
    const result = await invoke({ routeKey: 'GET /widgets' });
    expectProblem(result, 401);
  });

  it('serves public routes without a token (and with the empty claims the twin passes)', async () => {
    const anonymous = await invoke({ routeKey: 'GET /public' });
    const emptyClaims = await invoke({ routeKey: 'GET /public', claims: {} });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(anonymous.body).toBe('<p>anonymous</p>');
    expect(emptyClaims.body).toBe('<p>anonymous</p>');
  });
});

describe('HTTP stack: service context', () => {
  it('hands the operation the caller, the request id and the time as its service context', async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date('2026-03-02T09:00:00.000Z'), toFake: ['Date'] });
    // Act
    await invoke({ routeKey: 'POST /widgets', body: { name: 'w' }, claims: recruiter, requestId: 'r-ctx' });
    await invoke({ routeKey: 'GET /public', requestId: 'r-anonymous' });
    vi.useRealTimers();
    // Assess
    expect(operations.createWidget.mock.calls[0]?.[0].context).toEqual({
      actor: { userId: 'recruiter-1', roles: ['recruiter'] },
      now: new Date('2026-03-02T09:00:00.000Z'),
      requestId: 'r-ctx',
    });
    expect(operations.getPublic.mock.calls[0]?.[0].context).toBeUndefined();
  });
});

describe('HTTP stack: If-Match', () => {
  const update = (ifMatch?: string) =>
    invoke({
      routeKey: 'PATCH /widgets/{id}',
      pathParameters: { id: 'w1' },
      body: { name: 'renamed' },
      claims: recruiter,
      headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch },
    });

  it('answers 428 when If-Match is missing', async () => {
    expectProblem(await update(), 428);
  });

  it.each(['*', 'W/"3"', '"abc"', '3', '"3", "4"'])('answers 412 to If-Match %s', async (value) => {
    expectProblem(await update(value), 412);
  });

  it('hands a strong ETag to the operation as a version number, and returns the new ETag', async () => {
    const result = await update('"3"');
    expect(result.statusCode).toBe(200);
    expect(operations.updateWidget.mock.calls[0]?.[0].ifMatch).toBe(3);
    expect(result.headers.etag).toBe('"4"');
  });
});

describe('HTTP stack: errors and request ids', () => {
  it('hides the internals of an unexpected error and logs it', async () => {
    operations.listWidgets.mockRejectedValueOnce(new Error('connect ECONNREFUSED secret-host:8000'));
    const result = await invoke({ routeKey: 'GET /widgets', claims: staff, requestId: 'req-boom' });
    const problem = expectProblem(result, 500);
    expect(result.body).not.toContain('secret-host');
    expect(problem.detail).toMatch(/unexpected/i);
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ message: 'request failed', requestId: 'req-boom' }),
    );
  });

  it('answers 503 with a generic detail and Retry-After to DependencyUnavailable', async () => {
    operations.listWidgets.mockRejectedValueOnce(
      new DependencyUnavailable('cognito throttled us at pool eu-west-1_x', { retryAfterSeconds: 5 }),
    );
    const result = await invoke({ routeKey: 'GET /widgets', claims: staff });
    expect(expectProblem(result, 503).detail).not.toContain('cognito');
    expect(result.headers['retry-after']).toBe('5');
  });

  it('exposes domain errors below 500 with their extensions', async () => {
    operations.listWidgets.mockRejectedValueOnce(new Conflict('The contract is active', 'active'));
    operations.listWidgets.mockRejectedValueOnce(
      new RuleViolation('Missing credentials', { missing: ['BLS'] }),
    );
    const conflict = expectProblem(await invoke({ routeKey: 'GET /widgets', claims: staff }), 409);
    const rule = expectProblem(await invoke({ routeKey: 'GET /widgets', claims: staff }), 422);
    expect(conflict).toMatchObject({ detail: 'The contract is active', currentState: 'active' });
    expect(rule).toMatchObject({ details: { missing: ['BLS'] } });
  });

  it('puts the API Gateway request id on every response', async () => {
    const results = await Promise.all([
      invoke({ routeKey: 'POST /widgets', body: { name: 'x' }, claims: recruiter, requestId: 'r-ok' }),
      invoke({
        routeKey: 'POST /widgets/{id}/archive',
        pathParameters: { id: 'w' },
        claims: admin,
        requestId: 'r-204',
      }),
      invoke({ routeKey: 'GET /public', requestId: 'r-html' }),
      invoke({ routeKey: 'GET /nowhere', requestId: 'r-404' }),
      invoke({
        routeKey: 'POST /widgets',
        body: '{',
        headers: { 'content-type': 'application/json' },
        claims: recruiter,
        requestId: 'r-400',
      }),
    ]);
    expect(results.map((result) => result.headers['x-request-id'])).toEqual([
      'r-ok',
      'r-204',
      'r-html',
      'r-404',
      'r-400',
    ]);
  });
});

describe('HTTP stack: fuzzed bodies', () => {
  // Whatever bytes arrive, the answer is a 2xx or a 4xx problem: never a 500.
  it('never answers 5xx to random bodies', async () => {
    const alphabet = '{}[]":,\\ abcnulltrue0123456789-.eE_proto';
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const length = Math.floor(random() * 40);
      const body = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const result = await invoke({
        routeKey: 'POST /widgets',
        body,
        headers: { 'content-type': 'application/json' },
        claims: recruiter,
      });
      statuses.add(result.statusCode);
    }
    expect([...statuses].every((status) => status < 500)).toBe(true);
  });
});

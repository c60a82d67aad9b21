import { describe, expect, it, vi } from 'vitest';
import { RuleViolation } from '#domain/errors.ts';
import { createHttpHandler, type Operation } from '#runtime/http.ts';
import type { RouteDefinition } from '#shared/routes.ts';
import { claimsFor, httpEvent, lambdaContext } from './support/lambda.ts';

const ROUTES: RouteDefinition[] = [
  {
    method: 'GET',
    path: '/things',
    operationId: 'listThings',
    summary: 'List',
    tag: 'Test',
    fn: 'docs',
    access: { roles: ['admin'] },
    responses: { 200: { description: 'List' } },
  },
  {
    method: 'GET',
    path: '/asset',
    operationId: 'getAsset',
    summary: 'A cacheable asset',
    tag: 'Test',
    fn: 'docs',
    access: 'public',
    responses: { 200: { description: 'Asset', contentType: 'text/css' } },
  },
  {
    method: 'POST',
    path: '/refused',
    operationId: 'refuse',
    summary: 'Always 422',
    tag: 'Test',
    fn: 'docs',
    access: 'public',
    responses: { 204: { description: 'Never' } },
  },
];

const handler = createHttpHandler('test', ROUTES, {
  listThings: vi.fn<Operation>(async () => ({ status: 200, body: { items: [], nextCursor: null } })),
  getAsset: vi.fn<Operation>(async () => ({
    status: 200,
    contentType: 'text/css',
    headers: { 'Cache-Control': 'public, max-age=86400' },
    body: 'p{}',
  })),
  refuse: vi.fn<Operation>(async () => {
    throw new RuleViolation('no');
  }),
});

const invoke = (options: Parameters<typeof httpEvent>[0]) => handler(httpEvent(options), lambdaContext());

describe('HTTP stack: safety headers', () => {
  it('marks an authenticated answer nosniff and no-store', async () => {
    // Act
    const result = await invoke({ routeKey: 'GET /things', claims: claimsFor(['admin']) });
    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
  });

  it.each([
    ['a problem from the operation', { routeKey: 'POST /refused' }, 422],
    ['a refused role', { routeKey: 'GET /things', claims: claimsFor(['staff']) }, 403],
    ['a missing token', { routeKey: 'GET /things' }, 401],
    ['an unknown route', { routeKey: 'GET /nowhere' }, 404],
  ])('marks %s nosniff and no-store', async (_case, options, status) => {
    // Act
    const result = await invoke(options);
    // Assess
    expect(result.statusCode).toBe(status);
    expect(result.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
  });

  it('keeps the caching a public success chose, and still says nosniff', async () => {
    // Act
    const result = await invoke({ routeKey: 'GET /asset' });
    // Assess
    expect(result.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=86400',
    });
  });
});

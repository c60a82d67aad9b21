import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PageRequest } from '#domain/page.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { ROUTES } from '#shared/routes.ts';
import { rejectionOf } from './support/rejection.ts';

beforeAll(() => {
  vi.stubEnv('CURSOR_SECRET', 'unit-test-secret');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

type Query = { limit: number; cursor?: string; status?: string };

const request = (
  query: Query,
  params: Record<string, string> = { id: 'conversation-1' },
  userId = 'nora',
) => ({
  auth: { userId },
  event: { routeKey: 'GET /conversations/{id}/messages' },
  params,
  query,
});

/** Answers one item per page and always a next position, recording what each load was asked. */
const loader = () => {
  const asked: { page: PageRequest; filters: Record<string, unknown> }[] = [];
  const load = async (page: PageRequest, filters: Record<string, unknown>) => {
    asked.push({ page, filters });
    return { items: [{ id: asked.length }], next: { after: asked.length } };
  };
  return { asked, load };
};

const cursorOf = async (query: Query) => {
  const { body } = await pagedList(request(query), loader().load);
  return body.nextCursor as string;
};

describe('pagedList', () => {
  it('hands the loader the filters without limit and cursor, and the position the cursor holds', async () => {
    // Prepare
    const cursor = await cursorOf({ limit: 1, status: 'open' });
    const { asked, load } = loader();
    // Act
    const result = await pagedList(request({ limit: 1, status: 'open', cursor }), load);
    // Assess
    expect(asked).toEqual([{ page: { limit: 1, position: { after: 1 } }, filters: { status: 'open' } }]);
    expect(result).toEqual({ status: 200, body: { items: [{ id: 1 }], nextCursor: expect.any(String) } });
  });

  it.each<{ case: string; reuse: ReturnType<typeof request> }>([
    { case: 'another filter value', reuse: request({ limit: 1, status: 'closed' }) },
    { case: 'no filter', reuse: request({ limit: 1 }) },
    {
      case: 'another path parameter',
      reuse: request({ limit: 1, status: 'open' }, { id: 'conversation-2' }),
    },
    { case: 'another caller', reuse: request({ limit: 1, status: 'open' }, undefined, 'omar') },
  ])('refuses a cursor reused with $case (400), without loading', async ({ reuse }) => {
    const cursor = await cursorOf({ limit: 1, status: 'open' });
    const { asked, load } = loader();

    const error = await rejectionOf(pagedList({ ...reuse, query: { ...reuse.query, cursor } }, load));

    expect(error).toMatchObject({ status: 400, errors: [{ path: 'query.cursor', message: 'invalid' }] });
    expect(asked).toEqual([]);
  });

  it('answers a null nextCursor on the last page', async () => {
    const result = await pagedList(request({ limit: 5 }), async () => ({ items: [] }));

    expect(result.body).toEqual({ items: [], nextCursor: null });
  });

  // The binding merges path parameters and filters: a query key equal to a path parameter
  // would let one of them stand in for the other.
  it('serves no route whose query repeats one of its path parameters', () => {
    const withBoth = ROUTES.flatMap((route) => {
      const request = 'request' in route ? route.request : undefined;
      const params = Object.keys((request && 'params' in request && request.params?.shape) || {});
      const query = Object.keys((request && 'query' in request && request.query?.shape) || {});
      if (params.length === 0 || query.length === 0) return [];
      return [{ operationId: route.operationId, clashes: params.filter((name) => query.includes(name)) }];
    });

    expect(withBoth.map((route) => route.operationId)).toEqual(
      expect.arrayContaining(['listStaffCredentials', 'listMessages', 'getAuditChain']),
    );
    expect(withBoth.filter((route) => route.clashes.length > 0)).toEqual([]);
  });
});

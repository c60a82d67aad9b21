/**
 * A list operation's cursor plumbing: decodes `?cursor=` bound to the caller, the route and the
 * filters, loads the page from that position and answers `{ items, nextCursor }`.
 */
import type { ListPosition, Page, PageRequest } from '#domain/page.ts';
import { type CursorBinding, decodeCursor, encodeCursor } from './cursor.ts';

export interface ListRequest {
  auth: { userId: string };
  event: { routeKey: string };
  query: { limit: number; cursor?: string };
}

export const pagedList = async <T, P = ListPosition>(
  input: ListRequest,
  filters: Record<string, unknown>,
  load: (page: PageRequest<P>) => Promise<Page<T, P>>,
) => {
  const binding: CursorBinding = { userId: input.auth.userId, routeKey: input.event.routeKey, filters };
  const position = input.query.cursor ? await decodeCursor<P>(input.query.cursor, binding) : undefined;
  const page = await load({ limit: input.query.limit, position });
  const nextCursor = page.next === undefined ? null : await encodeCursor(page.next, binding);
  return { status: 200, body: { items: page.items, nextCursor } };
};

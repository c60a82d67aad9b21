/**
 * A list operation's cursor plumbing: decodes `?cursor=` bound to the caller, the route, the
 * path and the query's filters, loads the page from that position and answers
 * `{ items, nextCursor }`.
 */
import type { ListPosition, Page, PageRequest } from '#domain/page.ts';
import { type CursorBinding, decodeCursor, encodeCursor } from './cursor.ts';

interface ListQuery {
  limit: number;
  cursor?: string;
}

/** The validated query without its paging: what narrows the list. */
export type ListFilters<Q extends ListQuery> = Omit<Q, 'limit' | 'cursor'>;

export interface ListRequest<Q extends ListQuery> {
  auth: { userId: string };
  event: { routeKey: string };
  params: Readonly<Record<string, unknown>>;
  query: Q;
}

/**
 * The cursor is bound to the path parameters and the filters together (a route's query never
 * repeats one of its path parameters), so a cursor of another conversation, staff member or
 * filter is a 400. `load` gets the filters back, typed.
 */
export const pagedList = async <Q extends ListQuery, T, P = ListPosition>(
  input: ListRequest<Q>,
  load: (page: PageRequest<P>, filters: ListFilters<Q>) => Promise<Page<T, P>>,
) => {
  const { limit, cursor, ...filters } = input.query;
  const binding: CursorBinding = {
    userId: input.auth.userId,
    routeKey: input.event.routeKey,
    filters: { ...filters, ...input.params },
  };
  const position = cursor ? await decodeCursor<P>(cursor, binding) : undefined;
  const page = await load({ limit, position }, filters);
  const nextCursor = page.next === undefined ? null : await encodeCursor(page.next, binding);
  return { status: 200, body: { items: page.items, nextCursor } };
};

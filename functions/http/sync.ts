/** The `sync` function: GET /sync, offline clients' changes since a cursor (or a full snapshot). */
import { BadRequest } from '#domain/errors.ts';
import type { SyncPosition } from '#domain/sync/service.ts';
import { type CursorBinding, decodeCursor, encodeCursor } from '#runtime/cursor.ts';
import { httpFunction, type Operations } from '#runtime/http.ts';
import { SYNC_ROUTES } from '#shared/routes/sync.ts';
import { syncService } from '#shared/services/sync.ts';

/** A forged or foreign cursor is 400 naming `since`, the parameter that carries it. */
const positionOf = (since: string, binding: CursorBinding): Promise<SyncPosition> =>
  decodeCursor<SyncPosition>(since, binding).catch((error: unknown) => {
    if (!(error instanceof BadRequest)) throw error;
    throw new BadRequest('The cursor is invalid for this caller', [
      { path: 'query.since', message: 'invalid' },
    ]);
  });

/** Also run by the GraphQL function: one wiring of the services for both APIs. */
export const operations: Operations<'sync'> = {
  sync: async ({ auth, context, event, query }) => {
    const binding: CursorBinding = { userId: auth.userId, routeKey: event.routeKey, filters: {} };
    const position = query.since === undefined ? undefined : await positionOf(query.since, binding);
    const page = await syncService.sync(context, { limit: query.limit, ...(position ? { position } : {}) });
    const nextCursor = await encodeCursor(page.next, binding);
    return { status: 200, body: { changes: page.changes, nextCursor, hasMore: page.hasMore } };
  },
};

export const handler = httpFunction(SYNC_ROUTES, operations);

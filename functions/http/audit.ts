/** The `audit` function: the ledger's entries, an entity's chain and its verification. */
import { chainWitness } from '#data/audit-ledger.ts';
import { ledgerReader } from '#data/audit-queries.ts';
import { createAuditService } from '#domain/audit/service.ts';
import type { ListPosition } from '#domain/repository.ts';
import { decodeCursor, encodeCursor } from '#runtime/cursor.ts';
import { httpFunction } from '#runtime/http.ts';
import { serviceContextOf } from '#runtime/service-context.ts';

const audit = createAuditService({ reader: ledgerReader, witness: chainWitness });

export const handler = httpFunction('audit', {
  listAuditEntries: async ({ auth, query, event, requestId }) => {
    const { limit, cursor, ...filters } = query;
    const binding = { userId: auth.userId, routeKey: event.routeKey, filters };
    const position = cursor ? await decodeCursor<ListPosition>(cursor, binding) : undefined;
    const page = await audit.list(serviceContextOf({ auth, requestId }), filters, limit, position);
    const nextCursor = page.next ? await encodeCursor(page.next, binding) : null;
    return { status: 200, body: { items: page.items, nextCursor } };
  },

  getAuditChain: async ({ auth, params, query, event, requestId }) => {
    const binding = { userId: auth.userId, routeKey: event.routeKey, filters: { ...params } };
    const position = query.cursor ? await decodeCursor<ListPosition>(query.cursor, binding) : undefined;
    const page = await audit.chain(serviceContextOf({ auth, requestId }), params, query.limit, position);
    const nextCursor = page.next ? await encodeCursor(page.next, binding) : null;
    return { status: 200, body: { items: page.items, nextCursor } };
  },

  verifyAuditChain: async ({ auth, params, requestId }) => ({
    status: 200,
    body: await audit.verify(serviceContextOf({ auth, requestId }), params),
  }),
});

/** The `audit` function: the ledger's entries, an entity's chain, its verification and the anchors. */
import { chainWitness } from '#data/audit-ledger.ts';
import { ledgerReader } from '#data/audit-queries.ts';
import { s3EvidenceStore } from '#data/evidence-store.ts';
import { ledgerSigner } from '#data/ledger-signer.ts';
import { createLedgerAnchors } from '#domain/audit/anchors.ts';
import { withArchive } from '#domain/audit/archived-reader.ts';
import { createAuditService } from '#domain/audit/service.ts';
import { decodeCursor, encodeCursor } from '#runtime/cursor.ts';
import { httpFunction, type Operations } from '#runtime/http.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { AUDIT_ROUTES } from '#shared/routes/audit.ts';

// Archived days (ledgerArchive) are read from the locked bucket where DynamoDB no longer holds them.
const reader = withArchive(ledgerReader, s3EvidenceStore);
const audit = createAuditService({ reader, witness: chainWitness });
const anchors = createLedgerAnchors({ reader, store: s3EvidenceStore, signer: ledgerSigner });

/** Also run by the GraphQL function: one wiring of the services for both APIs. */
export const operations: Operations<'audit'> = {
  listAuditEntries: async (input) =>
    pagedList(input, ({ limit, position }, filters) => audit.list(input.context, filters, limit, position)),

  getAuditChain: async (input) =>
    pagedList(input, ({ limit, position }) => audit.chain(input.context, input.params, limit, position)),

  verifyAuditChain: async ({ context, params }) => ({
    status: 200,
    body: await audit.verify(context, params),
  }),

  listLedgerDigests: async (input) =>
    pagedList(input, ({ limit, position }, range) => anchors.list(input.context, range, limit, position)),

  getLedgerPublicKey: async () => ({
    status: 200,
    contentType: 'application/x-pem-file',
    headers: { 'cache-control': 'public, max-age=3600' },
    body: await anchors.publicKeyPem(),
  }),

  verifyLedger: async ({ context, auth, event, query }) => {
    const { cursor, ...range } = query;
    const binding = { userId: auth.userId, routeKey: event.routeKey, filters: range };
    const position = cursor ? await decodeCursor<{ after: string }>(cursor, binding) : undefined;
    const { next, ...page } = await anchors.verify(context, range, position);
    return {
      status: 200,
      body: { ...page, nextCursor: next ? await encodeCursor(next, binding) : null },
    };
  },
};

export const handler = httpFunction(AUDIT_ROUTES, operations);

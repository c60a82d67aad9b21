/** The `audit` function: the ledger's entries, an entity's chain and its verification. */
import { chainWitness } from '#data/audit-ledger.ts';
import { ledgerReader } from '#data/audit-queries.ts';
import { createAuditService } from '#domain/audit/service.ts';
import { httpFunction, type Operations } from '#runtime/http.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { AUDIT_ROUTES } from '#shared/routes/audit.ts';

const audit = createAuditService({ reader: ledgerReader, witness: chainWitness });

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
};

export const handler = httpFunction(AUDIT_ROUTES, operations);

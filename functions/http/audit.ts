/** The `audit` function: the ledger's entries, an entity's chain and its verification. */
import { chainWitness } from '#data/audit-ledger.ts';
import { ledgerReader } from '#data/audit-queries.ts';
import { createAuditService } from '#domain/audit/service.ts';
import { httpFunction } from '#runtime/http.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { serviceContextOf } from '#runtime/service-context.ts';

const audit = createAuditService({ reader: ledgerReader, witness: chainWitness });

export const handler = httpFunction('audit', {
  listAuditEntries: async (input) => {
    const { limit: _limit, cursor: _cursor, ...filters } = input.query;
    return pagedList(input, filters, ({ limit, position }) =>
      audit.list(serviceContextOf(input), filters, limit, position),
    );
  },

  getAuditChain: async (input) =>
    pagedList(input, { ...input.params }, ({ limit, position }) =>
      audit.chain(serviceContextOf(input), input.params, limit, position),
    ),

  verifyAuditChain: async ({ auth, params, requestId }) => ({
    status: 200,
    body: await audit.verify(serviceContextOf({ auth, requestId }), params),
  }),
});

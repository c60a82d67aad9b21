/** The `contracts` function: drafts, versioned terms, the lifecycle, acknowledgement of terms. */
import type { ServiceContext } from '#domain/context.ts';
import type { TransitionInput } from '#domain/contracts/service.ts';
import type { ContractTransition } from '#domain/contracts/state-machine.ts';
import { httpFunction, type Operations, withEtag } from '#runtime/http.ts';
import { withIdempotency } from '#runtime/idempotent-routes.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { versionedItemOperations } from '#runtime/versioned-items.ts';
import { CONTRACT_ROUTES } from '#shared/routes/contracts.ts';
import { contractsService as contracts } from '#shared/services/contracts.ts';

const contract = versionedItemOperations({
  create: contracts.create,
  get: contracts.get,
  update: contracts.revise,
});

type TransitionBody = TransitionInput['acknowledges'] | { reason?: string };

const transition =
  (name: ContractTransition) =>
  async (input: { context: ServiceContext; params: { id: string }; body?: TransitionBody }) => {
    const body = input.body ?? {};
    const request: TransitionInput =
      'contentHash' in body ? { acknowledges: body } : { reason: 'reason' in body ? body.reason : undefined };
    return withEtag(await contracts.transition(input.context, input.params.id, name, request));
  };

/** Also run by the GraphQL function: one wiring of the services for both APIs. */
export const operations: Operations<'contracts'> = {
  createContract: contract.create,
  getContract: contract.get,
  reviseContract: contract.update,

  listContracts: async (input) =>
    pagedList(input, (page, filters) => contracts.list(input.context, { ...filters, ...page })),

  listContractVersions: async (input) =>
    pagedList(input, (page) => contracts.listVersions(input.context, input.params.id, page)),

  getContractVersion: async ({ context, params }) => ({
    status: 200,
    body: await contracts.getVersion(context, params.id, params.n),
  }),

  offerContract: transition('offer'),
  acknowledgeContract: transition('acknowledge'),
  declineContract: transition('decline'),
  activateContract: transition('activate'),
  completeContract: transition('complete'),
  terminateContract: transition('terminate'),
  withdrawContract: transition('withdraw'),
};

export const handler = httpFunction(CONTRACT_ROUTES, operations, withIdempotency);

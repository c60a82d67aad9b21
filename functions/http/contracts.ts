/** The `contracts` function: drafts, versioned terms, the lifecycle, acknowledgement of terms. */
import { contractRepository } from '#data/contracts.ts';
import { credentialHoldings } from '#data/credential-holdings.ts';
import { staffOwners } from '#data/staff-owners.ts';
import { createContractsService, type TransitionInput } from '#domain/contracts/service.ts';
import type { ContractTransition } from '#domain/contracts/state-machine.ts';
import type { AuthContext } from '#runtime/auth-context.ts';
import { etagHeader, httpFunction } from '#runtime/http.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { serviceContextOf } from '#runtime/service-context.ts';

const contracts = createContractsService({
  contracts: contractRepository,
  staff: staffOwners,
  credentials: credentialHoldings,
});

type Call = { auth: AuthContext; requestId: string };

const withEtag = <T extends { version: number }>(body: T, status = 200) => ({
  status,
  headers: etagHeader(body.version),
  body,
});

const transition =
  (name: ContractTransition) =>
  async (
    input: Call & { params: { id: string }; body?: TransitionInput['acknowledges'] | { reason?: string } },
  ) => {
    const body = input.body ?? {};
    const request: TransitionInput =
      'contentHash' in body ? { acknowledges: body } : { reason: 'reason' in body ? body.reason : undefined };
    return withEtag(await contracts.transition(serviceContextOf(input), input.params.id, name, request));
  };

export const handler = httpFunction('contracts', {
  createContract: async (input) => withEtag(await contracts.create(serviceContextOf(input), input.body), 201),

  listContracts: async (input) => {
    const { staffId, status } = input.query;
    return pagedList(input, { staffId, status }, (page) =>
      contracts.list(serviceContextOf(input), { staffId, status, ...page }),
    );
  },

  getContract: async (input) => withEtag(await contracts.get(serviceContextOf(input), input.params.id)),

  reviseContract: async (input) =>
    withEtag(await contracts.revise(serviceContextOf(input), input.params.id, input.ifMatch, input.body)),

  listContractVersions: async (input) =>
    pagedList(input, { id: input.params.id }, (page) =>
      contracts.listVersions(serviceContextOf(input), input.params.id, page),
    ),

  getContractVersion: async (input) => ({
    status: 200,
    body: await contracts.getVersion(serviceContextOf(input), input.params.id, input.params.n),
  }),

  offerContract: transition('offer'),
  acknowledgeContract: transition('acknowledge'),
  declineContract: transition('decline'),
  activateContract: transition('activate'),
  completeContract: transition('complete'),
  terminateContract: transition('terminate'),
  withdrawContract: transition('withdraw'),
});

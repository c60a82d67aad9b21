/** The `contracts` function: drafts, versioned terms, the lifecycle, acknowledgement of terms. */
import { contractRepository } from '#data/contracts.ts';
import { credentialHoldings } from '#data/credential-holdings.ts';
import { staffOwners } from '#data/staff-owners.ts';
import { createContractsService, type TransitionInput } from '#domain/contracts/service.ts';
import type { ContractTransition } from '#domain/contracts/state-machine.ts';
import type { ListPosition } from '#domain/repository.ts';
import type { AuthContext } from '#runtime/auth-context.ts';
import { decodeCursor, encodeCursor } from '#runtime/cursor.ts';
import { etagHeader, type HttpEvent, httpFunction } from '#runtime/http.ts';
import { serviceContextOf } from '#runtime/service-context.ts';

const contracts = createContractsService({
  contracts: contractRepository,
  staff: staffOwners,
  credentials: credentialHoldings,
});

type Call = { auth: AuthContext; requestId: string };
type Listed = { auth: AuthContext; event: HttpEvent; query: { cursor?: string } };

const withEtag = <T extends { version: number }>(body: T, status = 200) => ({
  status,
  headers: etagHeader(body.version),
  body,
});

/** A page request bound to the caller, the route and the filters (cursor.ts). */
const paging = async ({ auth, event, query }: Listed, filters: Record<string, unknown>) => {
  const binding = { userId: auth.userId, routeKey: event.routeKey, filters };
  const position = query.cursor ? await decodeCursor<ListPosition>(query.cursor, binding) : undefined;
  const answer = async <T>(page: { items: T[]; next?: ListPosition }) => ({
    status: 200,
    body: { items: page.items, nextCursor: page.next ? await encodeCursor(page.next, binding) : null },
  });
  return { position, answer };
};

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
    const { staffId, status, limit } = input.query;
    const { position, answer } = await paging(input, { staffId, status });
    return answer(await contracts.list(serviceContextOf(input), { staffId, status, limit, position }));
  },

  getContract: async (input) => withEtag(await contracts.get(serviceContextOf(input), input.params.id)),

  reviseContract: async (input) =>
    withEtag(await contracts.revise(serviceContextOf(input), input.params.id, input.ifMatch, input.body)),

  listContractVersions: async (input) => {
    const { position, answer } = await paging(input, { id: input.params.id });
    return answer(
      await contracts.listVersions(serviceContextOf(input), input.params.id, {
        limit: input.query.limit,
        position,
      }),
    );
  },

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

/**
 * Contracts: drafts with versioned terms, offered to a staff member who acknowledges the exact
 * version (and content hash) they read, activated once their credentials are in order.
 */
import { ulid } from 'ulid';
import { newEntityMeta, type ServiceContext } from '../context.ts';
import { Conflict, NotFound, RuleViolation } from '../errors.ts';
import { assertEditable, lostRace, nextState, scopedList, stamp, visible } from '../lifecycle.ts';
import { type ActionOf, authorize } from '../policy.ts';
import type { Page, PageRequest } from '../repository.ts';
import {
  type AcknowledgeContractInput,
  type Contract,
  type ContractContent,
  type ContractListFilters,
  ContractSchema,
  type ContractVersion,
  type CreateContractInput,
  type TerminateContractInput,
} from '../schemas/contracts.ts';
import type { CredentialingHolds, StaffOwners } from '../staff-owners.ts';
import { contentHashOf, versionedContentOf } from './content-hash.ts';
import { assertCredentialsHeld } from './credential-gating.ts';
import type { ContractRecord, ContractRepository, CredentialHoldings } from './ports.ts';
import {
  CONTRACT_LIFECYCLE,
  type ContractTransition,
  CREDENTIAL_GATED_TRANSITIONS,
} from './state-machine.ts';

export interface ContractsServiceDeps {
  contracts: ContractRepository;
  staff: StaffOwners;
  credentials: CredentialHoldings;
  /** Acknowledgements wait while the staff member is flagged by exclusion monitoring. */
  holds?: CredentialingHolds;
  newId?: () => string;
}

/**
 * What a transition's request carries beyond the contract id: for acknowledge, the version and
 * hash the staff member read; for decline (optional) and terminate (required), a reason (PHI:
 * stored, never logged).
 */
export type TransitionInput = { acknowledges?: AcknowledgeContractInput } & Partial<TerminateContractInput>;

export type ContractListInput = ContractListFilters & PageRequest;

/** The API's view of a stored contract (owner and attribution stay inside). */
export const toContract = (record: ContractRecord): Contract => ContractSchema.parse(record);

const versionOf = (record: ContractRecord, context: ServiceContext): ContractVersion => ({
  contractId: record.id,
  version: record.currentVersion,
  contentHash: record.contentHash,
  ...versionedContentOf(record),
  createdBy: context.actor.userId,
  createdAt: context.now.toISOString(),
});

export const createContractsService = ({
  contracts,
  staff,
  credentials,
  holds,
  newId = ulid,
}: ContractsServiceDeps) => {
  const load = (context: ServiceContext, id: string, action: ActionOf<'Contract'>) =>
    visible(CONTRACT_LIFECYCLE, context, action, contracts.getContract(id));

  return {
    create: async (context: ServiceContext, input: CreateContractInput): Promise<Contract> => {
      authorize(context.actor, 'create', { type: 'Contract' });
      const ownerUserId = await staff.ownerUserIdOf(input.staffId);
      if (ownerUserId === undefined) {
        throw new RuleViolation(`No staff profile ${input.staffId}`, { staffId: input.staffId });
      }
      const content = versionedContentOf(input);
      const record: ContractRecord = {
        id: newId(),
        staffId: input.staffId,
        ownerUserId,
        ...content,
        status: 'draft',
        currentVersion: 1,
        contentHash: contentHashOf(content),
        ...newEntityMeta(context),
      };
      await contracts.createContract(record, versionOf(record, context));
      return toContract(record);
    },

    get: async (context: ServiceContext, id: string): Promise<Contract> =>
      toContract(await load(context, id, 'read')),

    /** As `get`, for a contract already read (offline sync reads a page's in one batch). */
    show: async (context: ServiceContext, record: ContractRecord): Promise<Contract> =>
      toContract(await visible(CONTRACT_LIFECYCLE, context, 'read', Promise.resolve(record))),

    /** Staff see their own only (another's staffId is 404); the agency filters by staff or status. */
    list: async (context: ServiceContext, input: ContractListInput): Promise<Page<Contract>> => {
      const page = { limit: input.limit, position: input.position };
      return scopedList(
        CONTRACT_LIFECYCLE,
        context,
        { staffId: input.staffId, staff },
        {
          all: () => contracts.listContracts(input.status, page),
          ofOwner: (owner) => contracts.listContractsOfOwner(owner, input.status, page),
        },
        toContract,
      );
    },

    /** New terms: a new immutable version and the head, in one transaction. */
    revise: async (
      context: ServiceContext,
      id: string,
      expectedVersion: number,
      input: ContractContent,
    ): Promise<Contract> => {
      const current = await load(context, id, 'update');
      assertEditable(CONTRACT_LIFECYCLE, current, expectedVersion);
      const content = versionedContentOf(input);
      const contentHash = contentHashOf(content);
      if (contentHash === current.contentHash) return toContract(current);
      const next: ContractRecord = {
        ...stamp(current, context, 'update'),
        ...content,
        currentVersion: current.currentVersion + 1,
        contentHash,
      };
      await contracts
        .reviseContract(next, versionOf(next, context), expectedVersion)
        .catch(lostRace(CONTRACT_LIFECYCLE, { action: 'update', expectedVersion }));
      return toContract(next);
    },

    transition: async (
      context: ServiceContext,
      id: string,
      transition: ContractTransition,
      input: TransitionInput = {},
    ): Promise<Contract> => {
      const current = await load(context, id, transition);
      const status = nextState(CONTRACT_LIFECYCLE, transition, current.status);
      const next: ContractRecord = { ...stamp(current, context, transition), status };
      if (transition === 'acknowledge') {
        const seen = input.acknowledges;
        if (seen?.version !== current.currentVersion || seen.contentHash !== current.contentHash) {
          throw new Conflict(
            `Stale acknowledgement: the current terms are version ${current.currentVersion}; read them and acknowledge that version and contentHash`,
            current.status,
          );
        }
        next.acknowledgement = { by: context.actor.userId, at: context.now.toISOString(), ...seen };
        const flagId = await holds?.openFlagOf(current.staffId);
        if (flagId !== undefined) {
          throw new RuleViolation(
            'The staff member is flagged by exclusion monitoring: acknowledgements wait until credentialing resolves the flag',
            { credentialingFlagId: flagId },
          );
        }
      }
      if (CREDENTIAL_GATED_TRANSITIONS.includes(transition)) {
        const held = await credentials.heldCredentials(current.staffId);
        assertCredentialsHeld(current.requiredCredentialTypes, held, current.endDate);
      }
      if (input.reason !== undefined) next.reason = input.reason;
      await contracts
        .transitionContract(next, { status: current.status, version: current.version })
        .catch(lostRace(CONTRACT_LIFECYCLE, { action: transition }));
      return toContract(next);
    },

    listVersions: async (
      context: ServiceContext,
      id: string,
      page: PageRequest,
    ): Promise<Page<ContractVersion>> => {
      await load(context, id, 'read');
      return contracts.listContractVersions(id, page);
    },

    getVersion: async (context: ServiceContext, id: string, version: number): Promise<ContractVersion> => {
      await load(context, id, 'read');
      const found = await contracts.getContractVersion(id, version);
      if (found === undefined) throw new NotFound(`Contract ${id} has no version ${version}`);
      return found;
    },
  };
};

export type ContractsService = ReturnType<typeof createContractsService>;

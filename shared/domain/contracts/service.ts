/**
 * Contracts: drafts with versioned terms, offered to a staff member who acknowledges the exact
 * version (and content hash) they read, activated once their credentials are in order.
 */
import { ulid } from 'ulid';
import { lastActorOf, newEntityMeta, type ServiceContext } from '../context.ts';
import { Conflict, NotFound, PreconditionFailed, RuleViolation } from '../errors.ts';
import { authorize, decide } from '../policy.ts';
import { type Page, type PageRequest, StaleWrite } from '../repository.ts';
import {
  type Contract,
  type ContractContent,
  ContractSchema,
  type ContractStatus,
  type ContractVersion,
  type CreateContractInput,
} from '../schemas/contracts.ts';
import type { StaffOwners } from '../staff-owners.ts';
import { contentHashOf, versionedContentOf } from './content-hash.ts';
import { assertCredentialsHeld } from './credential-gating.ts';
import type { ContractRecord, ContractRepository, CredentialHoldings } from './ports.ts';
import {
  CONTRACT_TRANSITIONS,
  type ContractTransition,
  CREDENTIAL_GATED_TRANSITIONS,
  EDITABLE_CONTRACT_STATES,
  nextState,
} from './state-machine.ts';

export interface ContractsServiceDeps {
  contracts: ContractRepository;
  staff: StaffOwners;
  credentials: CredentialHoldings;
  newId?: () => string;
}

/** What a transition's request carries beyond the contract id. */
export interface TransitionInput {
  /** acknowledge: the version and hash the staff member read. */
  acknowledges?: { version: number; contentHash: string };
  /** decline (optional), terminate (required). PHI: stored, never logged. */
  reason?: string;
}

export interface ContractListInput extends PageRequest {
  staffId?: string;
  status?: ContractStatus;
}

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

/** Why a conditional write lost, from the item as it is now. */
const lostRace = (stale: StaleWrite<ContractRecord>): Conflict | NotFound => {
  if (stale.current === undefined) return new NotFound('No such contract');
  const { status } = stale.current;
  return new Conflict(`The contract changed while this request ran: it is now ${status}`, status);
};

export const createContractsService = ({
  contracts,
  staff,
  credentials,
  newId = ulid,
}: ContractsServiceDeps) => {
  const visible = async (
    context: ServiceContext,
    id: string,
    action: 'read' | 'update' | ContractTransition,
  ) => {
    const record = await contracts.getContract(id);
    if (record === undefined) throw new NotFound('No such contract');
    authorize(context.actor, action, { type: 'Contract', ownerUserId: record.ownerUserId });
    return record;
  };

  const stamp = (record: ContractRecord, context: ServiceContext, action: string): ContractRecord => ({
    ...record,
    version: record.version + 1,
    updatedAt: context.now.toISOString(),
    lastActor: lastActorOf(context, action),
  });

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
      toContract(await visible(context, id, 'read')),

    /** Staff see their own only (another's staffId is 404); the agency filters by staff or status. */
    list: async (context: ServiceContext, input: ContractListInput): Promise<Page<Contract>> => {
      const page = { limit: input.limit, position: input.position };
      let owner: string | undefined;
      if (input.staffId !== undefined) {
        owner = await staff.ownerUserIdOf(input.staffId);
        if (owner === undefined) throw new NotFound('No such staff member');
      } else if (decide(context.actor, 'list', { type: 'Contract' }) !== 'allow') {
        owner = context.actor.userId;
      }
      authorize(context.actor, 'list', { type: 'Contract', ownerUserId: owner });
      const found =
        owner === undefined
          ? await contracts.listContracts(input.status, page)
          : await contracts.listContractsOfOwner(owner, input.status, page);
      return { items: found.items.map(toContract), next: found.next };
    },

    /** New terms: a new immutable version and the head, in one transaction. */
    revise: async (
      context: ServiceContext,
      id: string,
      expectedVersion: number,
      input: ContractContent,
    ): Promise<Contract> => {
      const current = await visible(context, id, 'update');
      if (current.version !== expectedVersion) throw new PreconditionFailed();
      if (!EDITABLE_CONTRACT_STATES.includes(current.status)) {
        throw new Conflict(
          `Only draft or offered contracts can be edited: it is ${current.status}`,
          current.status,
        );
      }
      const content = versionedContentOf(input);
      const contentHash = contentHashOf(content);
      if (contentHash === current.contentHash) return toContract(current);
      const next: ContractRecord = {
        ...stamp(current, context, 'update'),
        ...content,
        currentVersion: current.currentVersion + 1,
        contentHash,
      };
      try {
        await contracts.reviseContract(next, versionOf(next, context), expectedVersion);
      } catch (error) {
        if (!(error instanceof StaleWrite)) throw error;
        if (error.current !== undefined && error.current.version !== expectedVersion)
          throw new PreconditionFailed();
        throw lostRace(error);
      }
      return toContract(next);
    },

    transition: async (
      context: ServiceContext,
      id: string,
      transition: ContractTransition,
      input: TransitionInput = {},
    ): Promise<Contract> => {
      const current = await visible(context, id, transition);
      const status = nextState(CONTRACT_TRANSITIONS, transition, current.status, 'contract');
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
      }
      if (CREDENTIAL_GATED_TRANSITIONS.includes(transition)) {
        const held = await credentials.heldCredentials(current.staffId);
        assertCredentialsHeld(current.requiredCredentialTypes, held, current.endDate);
      }
      if (input.reason !== undefined) next.reason = input.reason;
      try {
        await contracts.transitionContract(next, { status: current.status, version: current.version });
      } catch (error) {
        if (error instanceof StaleWrite) throw lostRace(error);
        throw error;
      }
      return toContract(next);
    },

    listVersions: async (
      context: ServiceContext,
      id: string,
      page: PageRequest,
    ): Promise<Page<ContractVersion>> => {
      await visible(context, id, 'read');
      return contracts.listContractVersions(id, page);
    },

    getVersion: async (context: ServiceContext, id: string, version: number): Promise<ContractVersion> => {
      await visible(context, id, 'read');
      const found = await contracts.getContractVersion(id, version);
      if (found === undefined) throw new NotFound(`Contract ${id} has no version ${version}`);
      return found;
    },
  };
};

export type ContractsService = ReturnType<typeof createContractsService>;

/** What the contracts service needs from storage and from the credentials capability. */
import type { LastActor } from '../context.ts';
import type { ListPosition, Page, PageRequest } from '../repository.ts';
import type { Contract, ContractStatus, ContractVersion } from '../schemas/contracts.ts';
import type { HeldCredential } from './credential-gating.ts';

/** The contract head item as stored: the API's Contract plus its owner and attribution. */
export type ContractRecord = Contract & { ownerUserId: string; lastActor: LastActor };

export type { ContractVersion, ListPosition };

export interface ContractRepository {
  /** Head and version 1 together, each only if absent. */
  createContract(contract: ContractRecord, firstVersion: ContractVersion): Promise<void>;
  getContract(id: string): Promise<ContractRecord | undefined>;
  /** A staff member's contracts (by their Cognito sub), newest first. */
  listContractsOfOwner(
    ownerUserId: string,
    status: ContractStatus | undefined,
    page: PageRequest,
  ): Promise<Page<ContractRecord>>;
  /** Every contract, or those in one status; newest first within a status. */
  listContracts(status: ContractStatus | undefined, page: PageRequest): Promise<Page<ContractRecord>>;
  /**
   * New terms: the version item and the head in one transaction, the head conditional on
   * `expectedVersion` and an editable state. StaleWrite otherwise.
   */
  reviseContract(next: ContractRecord, version: ContractVersion, expectedVersion: number): Promise<void>;
  /** A state change, conditional on the state and version it was decided from. StaleWrite otherwise. */
  transitionContract(
    next: ContractRecord,
    expected: { status: ContractStatus; version: number },
  ): Promise<void>;
  listContractVersions(contractId: string, page: PageRequest): Promise<Page<ContractVersion>>;
  getContractVersion(contractId: string, version: number): Promise<ContractVersion | undefined>;
}

/** The credentials a staff member holds (the credentials capability implements it in shared/data). */
export interface CredentialHoldings {
  heldCredentials(staffId: string): Promise<HeldCredential[]>;
}

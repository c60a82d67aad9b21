/**
 * Contracts in Main: the head item and one immutable item per content version, under one
 * partition (shared/data/entities/contracts.ts). Each function is one DynamoDB call or one
 * transaction, its condition right there.
 */
import type { ContractStaff } from '#domain/appointments/ports.ts';
import type { ContractRepository } from '#domain/contracts/ports.ts';
import { EDITABLE_CONTRACT_STATES } from '#domain/contracts/state-machine.ts';
import type { ContractParties } from '#domain/messaging/ports.ts';
import { StaleWrite } from '#domain/repository.ts';
import { is } from './conditions.ts';
import { contractEntity, contractVersionEntity } from './entities/contracts.ts';
import { TransactionRefused, transact } from './transact.ts';

export const contractRepository: ContractRepository = {
  createContract: (contract, firstVersion) =>
    transact([contractEntity.ops.create(contract), contractVersionEntity.ops.create(firstVersion)]),

  getContract: (id) => contractEntity.get({ id }),

  // A staff member has few contracts: the status filter reads their partition only.
  listContractsOfOwner: (ownerUserId, status, { limit, position }) =>
    contractEntity.query.byOwner(
      { ownerUserId },
      { limit, position, descending: true, filter: status === undefined ? [] : [is.equal('status', status)] },
    ),

  listContracts: (status, { limit, position }) =>
    contractEntity.query.byStatus({ status }, { limit, position, descending: true }),

  reviseContract: async (next, version, expectedVersion) => {
    const head = contractEntity.ops.put(next, [
      is.equal('version', expectedVersion),
      is.oneOf('status', EDITABLE_CONTRACT_STATES),
    ]);
    try {
      await transact([head, contractVersionEntity.ops.create(version)]);
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      // The version item can only exist if another edit of the same version won: either way, stale.
      const current = error.failedAt(0)?.current;
      throw new StaleWrite(
        current
          ? contractEntity.record(current)
          : await contractEntity.get({ id: next.id }, { consistent: true }),
      );
    }
  },

  transitionContract: (next, expected) =>
    contractEntity.put(next, [is.equal('status', expected.status), is.equal('version', expected.version)]),

  listContractVersions: (contractId, { limit, position }) =>
    contractVersionEntity.query.primary({ contractId }, { limit, position }),

  getContractVersion: (contractId, version) => contractVersionEntity.get({ contractId, version }),
};

/** What appointments ask of a contract they name. */
export const contractStaff: ContractStaff = {
  staffIdOfContract: async (contractId) => (await contractEntity.get({ id: contractId }))?.staffId,
};

/** What a conversation asks of the contract it names. */
export const contractParties: ContractParties = {
  staffUserOfContract: async (contractId) => (await contractEntity.get({ id: contractId }))?.ownerUserId,
};

/**
 * Verification records in Main (shared/data/entities/credentialing.ts): written once with a
 * conditional create, never updated; listed per staff member, newest first.
 */
import type {
  DecisionRepository,
  FlagRepository,
  MonitoringRunRepository,
  VerificationRepository,
} from '#domain/credentialing/ports.ts';
import { PreconditionFailed } from '#domain/errors.ts';
import { is } from './conditions.ts';
import {
  credentialingFlagEntity,
  decisionEntity,
  monitoringRunEntity,
  verificationEntity,
} from './entities/credentialing.ts';
import { staffProfileEntity } from './entities/staff.ts';
import { TransactionRefused, transact } from './transact.ts';

export const verificationRepository: VerificationRepository = {
  create: (record) => verificationEntity.create(record),
  get: (verificationId) => verificationEntity.get({ id: verificationId }, { consistent: true }),
  listOfStaff: (staffId, page) =>
    verificationEntity.query.byStaff({ staffId }, { ...page, descending: true }),
};

export const decisionRepository: DecisionRepository = {
  // Atomic: the profile's status is exactly the latest decision's.
  record: async (decision, { previous, next }) => {
    try {
      await transact([
        decisionEntity.ops.create(decision),
        staffProfileEntity.ops.put(next, [is.equal('version', previous.version)]),
      ]);
    } catch (error) {
      if (error instanceof TransactionRefused && error.failedAt(1)) throw new PreconditionFailed();
      throw error;
    }
  },
  listOfStaff: (staffId, page) => decisionEntity.query.byStaff({ staffId }, { ...page, descending: true }),
};

export const monitoringRunRepository: MonitoringRunRepository = {
  create: (run) => monitoringRunEntity.create(run),
  list: (page) => monitoringRunEntity.query.all({}, { ...page, descending: true }),
};

export const flagRepository: FlagRepository = {
  // Atomic: a flagged profile always has its flag on the queue.
  raise: async (flag, { previous, next }) => {
    try {
      await transact([
        credentialingFlagEntity.ops.create(flag),
        staffProfileEntity.ops.put(next, [is.equal('version', previous.version)]),
      ]);
    } catch (error) {
      if (error instanceof TransactionRefused) throw new PreconditionFailed();
      throw error;
    }
  },
  get: (flagId) => credentialingFlagEntity.get({ id: flagId }, { consistent: true }),
  resolve: async (flag, profile) => {
    try {
      await transact([
        credentialingFlagEntity.ops.put(flag.next, [is.equal('version', flag.previous.version)]),
        staffProfileEntity.ops.put(profile.next, [is.equal('version', profile.previous.version)]),
      ]);
    } catch (error) {
      if (error instanceof TransactionRefused) throw new PreconditionFailed();
      throw error;
    }
  },
  listByStatus: (status, page) => credentialingFlagEntity.query.byStatus({ status }, page),
};

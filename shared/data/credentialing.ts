/**
 * Verification records in Main (shared/data/entities/credentialing.ts): written once with a
 * conditional create, never updated; listed per staff member, newest first.
 */
import type {
  DecisionRepository,
  MonitoringRunRepository,
  VerificationRepository,
} from '#domain/credentialing/ports.ts';
import { PreconditionFailed } from '#domain/errors.ts';
import { is } from './conditions.ts';
import { decisionEntity, monitoringRunEntity, verificationEntity } from './entities/credentialing.ts';
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

/**
 * Verification records in Main (shared/data/entities/credentialing.ts): written once with a
 * conditional create, never updated; listed per staff member, newest first.
 */
import type { VerificationRepository } from '#domain/credentialing/ports.ts';
import { verificationEntity } from './entities/credentialing.ts';

export const verificationRepository: VerificationRepository = {
  create: (record) => verificationEntity.create(record),
  get: (verificationId) => verificationEntity.get({ id: verificationId }, { consistent: true }),
  listOfStaff: (staffId, page) =>
    verificationEntity.query.byStaff({ staffId }, { ...page, descending: true }),
};

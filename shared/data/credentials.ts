/**
 * Credentials in Main (shared/data/entities/credentials.ts), listed per staff member, by status
 * and by expiry day (sparse: pending and active only). Every change is one conditional
 * UpdateItem on the expected state; the list keys move with the status.
 */

import { documentFrozen } from '#domain/credentials/documents.ts';
import type { CredentialRepository, StoredCredential, WriteMeta } from '#domain/credentials/ports.ts';
import { NotFound } from '#domain/errors.ts';
import { StaleWrite } from '#domain/repository.ts';
import { credentialTerms } from '#domain/staff/search-terms.ts';
import { is } from './conditions.ts';
import { credentialEntity } from './entities/credentials.ts';
import { applied } from './entity-writes.ts';
import { termWrites } from './staff-search.ts';
import { TransactionRefused, transact } from './transact.ts';

const metaSet = (meta: WriteMeta) => ({ updatedAt: meta.updatedAt, lastActor: meta.lastActor });

export const credentialRepository: CredentialRepository = {
  // With a licence number, its search term is written in the same transaction.
  create: async (credential) => {
    const terms = termWrites([], credentialTerms(credential));
    if (terms.length === 0) return credentialEntity.create(credential);
    try {
      await transact([credentialEntity.ops.create(credential), ...terms]);
    } catch (error) {
      if (!(error instanceof TransactionRefused) || !error.failedAt(0)) throw error;
      throw new StaleWrite(credential);
    }
  },

  get: (credentialId) => credentialEntity.get({ id: credentialId }, { consistent: true }),

  listOfStaff: (staffId, status, page) => credentialEntity.query.byStaff({ staffId, status }, page),

  listByStatus: (status, page) => credentialEntity.query.byStatus({ status }, page),

  // A bucket holds a day's expiries: small enough to filter by status.
  listExpiringOn: (day, status, page) =>
    credentialEntity.query.byExpiryDay(
      { expiryDate: day },
      { ...page, filter: status === undefined ? [] : [is.equal('status', status)] },
    ),

  // A refusal is StaleWrite with the credential as it is (none when it is gone): the service words it.
  transition: (credential, { from, to }, change) => {
    // The list keys derive from fields that never change (id, staff, expiry date) and the status.
    const keys = credentialEntity.indexKeys({ ...credential, status: to } as StoredCredential);
    return credentialEntity.update(
      { id: credential.id },
      {
        set: { ...change.set, status: to, ...keys.set, ...metaSet(change.meta) },
        remove: keys.remove,
        increment: ['version'],
      },
      [
        is.oneOf('status', from),
        // The sweep's expire also checks the date: a credential is never expired before its day.
        change.expiredBefore === undefined ? is.present() : is.below('expiryDate', change.expiredBefore),
      ],
    );
  },

  raiseExpiryWarning: (credentialId, threshold, meta) =>
    applied(
      credentialEntity.update(
        { id: credentialId },
        { set: { expiryWarning: threshold, ...metaSet(meta) }, increment: ['version'] },
        [
          is.equal('status', 'active'),
          is.any(
            is.absent('expiryWarning'),
            is.ofType('expiryWarning', 'NULL'),
            is.above('expiryWarning', threshold),
          ),
        ],
      ),
    ),

  attachDocument: async (credentialId, document, documentKey, meta) => {
    try {
      return await credentialEntity.update(
        { id: credentialId },
        { set: { document, documentKey, ...metaSet(meta) }, increment: ['version'] },
        // Decided between the service's read and this write: still frozen.
        [is.equal('status', 'pending')],
      );
    } catch (error) {
      if (!(error instanceof StaleWrite)) throw error;
      const current = (error as StaleWrite<StoredCredential>).current;
      if (current === undefined) throw new NotFound('No such credential');
      throw documentFrozen(current.status);
    }
  },

  markDocumentRejected: (credentialId, documentKey, reason, meta) =>
    applied(
      credentialEntity.update(
        { id: credentialId },
        {
          set: { 'document.status': 'rejected', 'document.reason': reason, ...metaSet(meta) },
          increment: ['version'],
        },
        [is.equal('document.status', 'pending'), is.equal('documentKey', documentKey)],
      ),
    ),

  markDocumentUploaded: (credentialId, documentKey, meta) =>
    applied(
      credentialEntity.update(
        { id: credentialId },
        { set: { 'document.status': 'uploaded', ...metaSet(meta) }, increment: ['version'] },
        [is.equal('document.status', 'pending'), is.equal('documentKey', documentKey)],
      ),
    ),
};

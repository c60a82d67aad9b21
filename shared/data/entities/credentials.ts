import type { StoredCredential } from '#domain/credentials/ports.ts';
import { isExpiryTracked } from '#domain/credentials/state-machine.ts';
import { defineEntity } from '../entity.ts';
import { ITEM_KINDS, PREFIX } from '../keys.ts';

/** `CRED#<id>`; its list keys move with its status. */
export const credentialEntity = defineEntity<StoredCredential>()({
  kind: ITEM_KINDS.credential,
  primary: {
    pk: { prefix: PREFIX.credential, fields: ['id'] },
    sk: { prefix: PREFIX.credential, fields: ['id'] },
  },
  indexes: {
    /** A staff member's credentials, `?status=` a prefix: `STAFF#<staffId>` / `CRED#<status>#<id>`. */
    byStaff: {
      index: 'byParent',
      pk: { prefix: PREFIX.staff, fields: ['staffId'] },
      sk: { prefix: PREFIX.credential, fields: ['status', 'id'] },
    },
    /** The work queue of one status, oldest first: `CREDSTATUS#<status>` / `CRED#<id>`. */
    byStatus: {
      index: 'byKind',
      pk: { prefix: PREFIX.credentialStatus, fields: ['status'] },
      sk: { prefix: PREFIX.credential, fields: ['id'] },
    },
    /** Pending and active credentials by expiry day (sparse): `EXP#<YYYY-MM-DD>` / `CRED#<id>`. */
    byExpiryDay: {
      index: 'byExpiryDay',
      pk: { prefix: PREFIX.expiryDay, fields: ['expiryDate'] },
      sk: { prefix: PREFIX.credential, fields: ['id'] },
      when: (credential) => isExpiryTracked(credential.status),
    },
  },
});

/** S3 object key of a document: ids only (file names are PHI and S3 logs keys). */
export const documentObjectKey = (credentialId: string, uploadId: string): string =>
  ['credentials', credentialId, uploadId].join('/');

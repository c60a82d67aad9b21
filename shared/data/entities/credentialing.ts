import type { StoredVerification } from '#domain/credentialing/ports.ts';
import { defineEntity } from '../entity.ts';
import { ITEM_KINDS, PREFIX } from '../keys.ts';

/** `VERIF#<id>`: one immutable record per check, listed under its staff member. */
export const verificationEntity = defineEntity<StoredVerification>()({
  kind: ITEM_KINDS.verification,
  primary: {
    pk: { prefix: PREFIX.verification, fields: ['id'] },
    sk: { prefix: PREFIX.verification, fields: ['id'] },
  },
  indexes: {
    /** A staff member's checks (ULIDs: by time): `STAFF#<staffId>` / `VERIF#<id>`. */
    byStaff: {
      index: 'byParent',
      pk: { prefix: PREFIX.staff, fields: ['staffId'] },
      sk: { prefix: PREFIX.verification, fields: ['id'] },
    },
  },
});

/** S3 object key of a source's answer kept as evidence: by source and content hash, no PHI. */
export const evidenceObjectKey = (kind: string, sha256: string): string =>
  ['evidence', kind, sha256].join('/');

import type { CredentialStatus } from '#domain/credentials/state-machine.ts';
import {
  type Gsi1Key,
  type Gsi2Key,
  type Gsi3Key,
  ITEM_KINDS,
  key,
  PREFIX,
  type PrimaryKey,
} from '../keys.ts';

export const credentialKeys = {
  kind: ITEM_KINDS.credential,
  /** `CRED#<id>`. */
  primary: (credentialId: string): PrimaryKey => ({
    pk: key(PREFIX.credential, credentialId),
    sk: key(PREFIX.credential, credentialId),
  }),
  /** gsi1 `STAFF#<staffId>` / `CRED#<status>#<id>`: a staff member's credentials, `?status=` a prefix. */
  byStaff: (staffId: string, status: CredentialStatus, credentialId: string): Gsi1Key => ({
    gsi1pk: key(PREFIX.staff, staffId),
    gsi1sk: key(PREFIX.credential, status, credentialId),
  }),
  staffQuery: (staffId: string, status?: CredentialStatus) => ({
    pk: key(PREFIX.staff, staffId),
    skPrefix: status === undefined ? `${PREFIX.credential}#` : `${key(PREFIX.credential, status)}#`,
  }),
  /** gsi3 `CREDSTATUS#<status>` / `CRED#<id>`: the work queue of one status, oldest first. */
  byStatus: (status: CredentialStatus, credentialId: string): Gsi3Key => ({
    gsi3pk: key(PREFIX.credentialStatus, status),
    gsi3sk: key(PREFIX.credential, credentialId),
  }),
  statusPartition: (status: CredentialStatus): string => key(PREFIX.credentialStatus, status),
  /** gsi2 `EXP#<YYYY-MM-DD>` (sparse): pending and active credentials by expiry day. */
  byExpiryDay: (expiryDate: string, credentialId: string): Gsi2Key => ({
    gsi2pk: key(PREFIX.expiryDay, expiryDate),
    gsi2sk: key(PREFIX.credential, credentialId),
  }),
  expiryBucket: (day: string): string => key(PREFIX.expiryDay, day),
  /** S3 object key of a document: ids only (file names are PHI and S3 logs keys). */
  documentObject: (credentialId: string, uploadId: string): string =>
    ['credentials', credentialId, uploadId].join('/'),
} as const;

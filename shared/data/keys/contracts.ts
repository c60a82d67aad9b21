import type { ContractStatus } from '#domain/schemas/contracts.ts';
import { type Gsi1Key, type Gsi3Key, ITEM_KINDS, key, PREFIX, type PrimaryKey } from '../keys.ts';

// Sort keys hold version numbers as text: padded so version 10 sorts after version 9.
const padded = (version: number) => String(version).padStart(10, '0');

export const contractKeys = {
  kind: ITEM_KINDS.contract,
  versionKind: ITEM_KINDS.contractVersion,
  /** `CONTRACT#<id>`: the head (current terms, state, acknowledgement). */
  primary: (contractId: string): PrimaryKey => ({
    pk: key(PREFIX.contract, contractId),
    sk: key(PREFIX.contract, contractId),
  }),
  /** `CONTRACT#<id>` / `CVER#<n>`: one immutable item per content version, beside its head. */
  version: (contractId: string, version: number): PrimaryKey => ({
    pk: key(PREFIX.contract, contractId),
    sk: key(PREFIX.contractVersion, padded(version)),
  }),
  versionsQuery: (contractId: string) => ({
    pk: key(PREFIX.contract, contractId),
    skPrefix: `${PREFIX.contractVersion}#`,
  }),
  /** gsi1 `USER#<staff sub>` / `CONTRACT#<id>`: a staff member's contracts are one Query. */
  byOwner: (ownerUserId: string, contractId: string): Gsi1Key => ({
    gsi1pk: key(PREFIX.user, ownerUserId),
    gsi1sk: key(PREFIX.contract, contractId),
  }),
  ownerQuery: (ownerUserId: string) => ({
    pk: key(PREFIX.user, ownerUserId),
    skPrefix: `${PREFIX.contract}#`,
  }),
  /** gsi3 `CONTRACT` / `<status>#<id>`: every contract, `?status=` a sort-key prefix. */
  all: (status: ContractStatus, contractId: string): Gsi3Key => ({
    gsi3pk: PREFIX.contract,
    gsi3sk: key(status, contractId),
  }),
  allQuery: (status?: ContractStatus) => ({
    pk: PREFIX.contract,
    skPrefix: status === undefined ? undefined : `${status}#`,
  }),
} as const;

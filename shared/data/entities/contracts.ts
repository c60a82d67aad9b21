import type { ContractRecord, ContractVersion } from '#domain/contracts/ports.ts';
import { defineEntity } from '../entity.ts';
import { ITEM_KINDS, PREFIX } from '../keys.ts';

// Sort keys hold version numbers as text: padded so version 10 sorts after version 9.
const padded = (version: number) => String(version).padStart(10, '0');

/** `CONTRACT#<id>`: the head (current terms, state, acknowledgement). */
export const contractEntity = defineEntity<ContractRecord>()({
  kind: ITEM_KINDS.contract,
  primary: {
    pk: { prefix: PREFIX.contract, fields: ['id'] },
    sk: { prefix: PREFIX.contract, fields: ['id'] },
  },
  indexes: {
    /** A staff member's contracts: `USER#<staff sub>` / `CONTRACT#<id>`. */
    byOwner: {
      index: 'byParent',
      pk: { prefix: PREFIX.user, fields: ['ownerUserId'] },
      sk: { prefix: PREFIX.contract, fields: ['id'] },
    },
    /** Every contract, `?status=` a sort-key prefix: `CONTRACT` / `<status>#<id>`. */
    byStatus: {
      index: 'byKind',
      pk: { prefix: PREFIX.contract, fields: [] },
      sk: { fields: ['status', 'id'] },
    },
  },
});

/** `CONTRACT#<id>` / `CVER#<n>`: one immutable item per content version, beside its head. */
export const contractVersionEntity = defineEntity<ContractVersion>()({
  kind: ITEM_KINDS.contractVersion,
  primary: {
    pk: { prefix: PREFIX.contract, fields: ['contractId'] },
    sk: { prefix: PREFIX.contractVersion, fields: ['version'] },
  },
  formats: { version: padded },
});

import { ITEM_KINDS, key, PREFIX, type PrimaryKey } from '../keys.ts';

export const accessEventKeys = {
  kind: ITEM_KINDS.accessEvent,
  /**
   * `ACCESS#<entityType>#<entityId>`: one access log per entity, holding its latest event; its
   * `version` counts the entity's access events (the audit ledger's witness for them).
   */
  primary: (entityType: string, entityId: string): PrimaryKey => ({
    pk: key(PREFIX.accessEvent, entityType, entityId),
    sk: key(PREFIX.accessEvent, entityType, entityId),
  }),
} as const;

import type { AccessEvent } from '#domain/access-events.ts';
import { defineEntity } from '../entity.ts';
import { ITEM_KINDS, PREFIX } from '../keys.ts';

/**
 * `ACCESS#<entityType>#<entityId>`: one access log per entity, holding its latest event; its
 * `version` counts the entity's access events (the audit ledger's witness for them).
 */
export const accessEventEntity = defineEntity<AccessEvent>()({
  kind: ITEM_KINDS.accessEvent,
  primary: {
    pk: { prefix: PREFIX.accessEvent, fields: ['entityType', 'entityId'] },
    sk: { prefix: PREFIX.accessEvent, fields: ['entityType', 'entityId'] },
  },
});

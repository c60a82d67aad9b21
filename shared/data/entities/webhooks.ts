import type { StoredWebhookDelivery, StoredWebhookEndpoint } from '#domain/webhooks/ports.ts';
import { defineEntity } from '../entity.ts';
import { ITEM_KINDS, PREFIX } from '../keys.ts';

/** `WHEP#<id>`: one endpoint; every endpoint not deleted: `WHEP` / `<id>` (sparse). */
export const webhookEndpointEntity = defineEntity<StoredWebhookEndpoint>()({
  kind: ITEM_KINDS.webhookEndpoint,
  primary: {
    pk: { prefix: PREFIX.webhookEndpoint, fields: ['id'] },
    sk: { prefix: PREFIX.webhookEndpoint, fields: ['id'] },
  },
  indexes: {
    all: {
      index: 'byKind',
      pk: { prefix: PREFIX.webhookEndpoint, fields: [] },
      sk: { fields: ['id'] },
      when: (endpoint) => endpoint.deletedAt === undefined,
    },
  },
});

/** `WHDL#<id>`: one event to one endpoint; an endpoint's deliveries: `WHEP#<endpointId>` / `WHDL#<id>`. */
export const webhookDeliveryEntity = defineEntity<StoredWebhookDelivery>()({
  kind: ITEM_KINDS.webhookDelivery,
  primary: {
    pk: { prefix: PREFIX.webhookDelivery, fields: ['id'] },
    sk: { prefix: PREFIX.webhookDelivery, fields: ['id'] },
  },
  indexes: {
    byEndpoint: {
      index: 'byParent',
      pk: { prefix: PREFIX.webhookEndpoint, fields: ['endpointId'] },
      sk: { prefix: PREFIX.webhookDelivery, fields: ['id'] },
    },
  },
});

/** Webhook endpoints and deliveries in Main: one entity call each, conditional on the version read. */
import type { WebhookDeliveryRepository, WebhookEndpointRepository } from '#domain/webhooks/ports.ts';
import { is } from './conditions.ts';
import { webhookDeliveryEntity, webhookEndpointEntity } from './entities/webhooks.ts';
import { applied } from './entity-writes.ts';

export const webhookEndpointRepository: WebhookEndpointRepository = {
  create: (endpoint) => webhookEndpointEntity.create(endpoint),
  get: (id) => webhookEndpointEntity.get({ id }, { consistent: true }),
  list: (page) => webhookEndpointEntity.query.all({}, page),
  listEnabled: () => webhookEndpointEntity.all.all({}, { filter: [is.equal('enabled', true)] }),
  replace: (previous, next) => webhookEndpointEntity.put(next, [is.equal('version', previous.version)]),
};

export const webhookDeliveryRepository: WebhookDeliveryRepository = {
  create: (delivery) => applied(webhookDeliveryEntity.create(delivery)),
  get: (id) => webhookDeliveryEntity.get({ id }, { consistent: true }),
  listOfEndpoint: (endpointId, page) =>
    webhookDeliveryEntity.query.byEndpoint({ endpointId }, { ...page, descending: true }),
  replace: (previous, next) =>
    applied(webhookDeliveryEntity.put(next, [is.equal('version', previous.version)])),
};

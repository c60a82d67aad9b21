/**
 * The webhook services wired to their adapters, once: the admin routes (REST and GraphQL), the
 * notify consumer's fan-out and the delivery function share them.
 */

import { sqsDeliveryQueue } from '#data/webhook-queue.ts';
import { createHttpSender } from '#data/webhook-sender.ts';
import { webhookDeliveryRepository, webhookEndpointRepository } from '#data/webhooks.ts';
import { createDeliveryWorker, WEBHOOK_DISABLED_MESSAGE } from '#domain/webhooks/delivery.ts';
import { createWebhookFanOut } from '#domain/webhooks/fan-out.ts';
import type { StoredWebhookEndpoint } from '#domain/webhooks/ports.ts';
import { createWebhookService } from '#domain/webhooks/service.ts';
import type { TargetRules } from '#domain/webhooks/targets.ts';
import { optionalEnv } from '#runtime/config.ts';
import { logger } from '#runtime/logger.ts';

/** AWS: https to public addresses only. The twin sets WEBHOOK_LOCAL_TARGETS for its local receivers. */
export const webhookTargetRules = (): TargetRules => ({
  allowLocal: optionalEnv('webhookLocalTargets') === 'true',
});

export const webhookTimeScale = (): number => {
  const scale = Number(optionalEnv('webhookTimeScale') ?? '1');
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
};

export const webhookService = /* @__PURE__ */ createWebhookService({
  endpoints: webhookEndpointRepository,
  deliveries: webhookDeliveryRepository,
  queue: sqsDeliveryQueue,
  targets: webhookTargetRules(),
});

/** Enabled endpoints read once per stream batch: a batch of a hundred changes asks once. */
export const webhookFanOutForBatch = () => {
  let enabled: Promise<StoredWebhookEndpoint[]> | undefined;
  return createWebhookFanOut({
    enabledEndpoints: () => {
      enabled ??= webhookEndpointRepository.listEnabled();
      return enabled;
    },
    deliveries: webhookDeliveryRepository,
    queue: sqsDeliveryQueue,
  });
};

export const deliveryWorker = /* @__PURE__ */ createDeliveryWorker({
  endpoints: webhookEndpointRepository,
  deliveries: webhookDeliveryRepository,
  queue: sqsDeliveryQueue,
  sender: createHttpSender(webhookTargetRules()),
  alertDisabled: async (endpoint) => {
    logger.error(WEBHOOK_DISABLED_MESSAGE, { endpointId: endpoint.id, alert: 'webhookEndpointDisabled' });
  },
  timeScale: webhookTimeScale(),
});

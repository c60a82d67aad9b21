/**
 * One attempt of a delivery, as the delivery function runs it for a queue message: sign afresh
 * (same `webhook-id`, new `webhook-timestamp`, every valid secret), POST, record the outcome,
 * and either finish, schedule the next attempt (exponential backoff with jitter) or, after a
 * day of failures, give the delivery to the dead-letter queue. An endpoint whose every attempt
 * has failed for five days is disabled and the admins alerted.
 */
import { lastActorOf, type ServiceContext, SYSTEM_ACTOR } from '../context.ts';
import type {
  DeliveryQueue,
  DeliveryTask,
  StoredWebhookDelivery,
  StoredWebhookEndpoint,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
  WebhookSender,
} from './ports.ts';
import { endpointGivenUp, isDelivered, retriesExhausted, retryDelayMs } from './schedule.ts';
import { signDelivery, signingSecrets } from './signing.ts';

/** The action stamped on the delivery function's own bookkeeping (not ledger entries). */
export const DELIVERY_ACTION = 'delivery';

/**
 * The log line of a disabled endpoint: the alarm on it (infra/webhooks.ts, a metric filter on
 * the delivery function's logs) mails the alerts topic; the endpoint shows `enabled: false`.
 */
export const WEBHOOK_DISABLED_MESSAGE = 'webhook endpoint disabled after 5 days of failures';

export interface DeliveryWorkerPorts {
  endpoints: WebhookEndpointRepository;
  deliveries: WebhookDeliveryRepository;
  queue: DeliveryQueue;
  sender: WebhookSender;
  /** The endpoint was disabled after five days of failures: tell the admins. */
  alertDisabled(endpoint: StoredWebhookEndpoint): Promise<void>;
  timeScale: number;
  random?: () => number;
}

export type AttemptOutcome = 'skipped' | 'postponed' | 'delivered' | 'retrying' | 'failed';

const stamp = <T extends { version: number }>(item: T, context: ServiceContext, action: string): T => ({
  ...item,
  version: item.version + 1,
  updatedAt: context.now.toISOString(),
  lastActor: lastActorOf(context, action),
});

export const createDeliveryWorker = (ports: DeliveryWorkerPorts) => {
  const { endpoints, deliveries, queue, sender, timeScale } = ports;

  /** Endpoint bookkeeping: failing since when; disabled after five days of nothing but failures. */
  const recordEndpointOutcome = async (
    endpoint: StoredWebhookEndpoint,
    delivered: boolean,
    context: ServiceContext,
  ) => {
    if (delivered) {
      if (endpoint.failingSince === undefined) return;
      const { failingSince: _since, ...rest } = endpoint;
      await endpoints.replace(endpoint, stamp(rest, context, DELIVERY_ACTION)).catch(() => undefined);
      return;
    }
    const failingSince = endpoint.failingSince ?? context.now.toISOString();
    if (!endpointGivenUp(new Date(failingSince), context.now, timeScale)) {
      if (endpoint.failingSince !== undefined) return;
      await endpoints
        .replace(endpoint, stamp({ ...endpoint, failingSince }, context, DELIVERY_ACTION))
        .catch(() => undefined);
      return;
    }
    const disabled = {
      ...endpoint,
      failingSince,
      enabled: false,
      disabledReason: 'every attempt failed for 5 days',
    };
    // A lost race means someone else changed the endpoint meanwhile: their change stands.
    const applied = await endpoints.replace(endpoint, stamp(disabled, context, 'disable')).then(
      () => true,
      () => false,
    );
    if (applied) await ports.alertDisabled(disabled);
  };

  const finish = async (
    delivery: StoredWebhookDelivery,
    change: Partial<StoredWebhookDelivery>,
    context: ServiceContext,
  ): Promise<StoredWebhookDelivery | undefined> => {
    const { nextAttemptAt: _next, ...rest } = delivery;
    const next = stamp({ ...rest, ...change }, context, DELIVERY_ACTION);
    return (await deliveries.replace(delivery, next)) ? next : undefined;
  };

  return {
    attempt: async (task: DeliveryTask, now: Date, requestId: string): Promise<AttemptOutcome> => {
      const context: ServiceContext = { actor: SYSTEM_ACTOR, now, requestId };
      const delivery = await deliveries.get(task.deliveryId);
      // A duplicate message, or one overtaken by a replay: the delivery has moved on.
      if (delivery?.state !== 'pending' || delivery.attempts !== task.attempts) return 'skipped';
      const waitMs = task.notBefore === undefined ? 0 : Date.parse(task.notBefore) - now.getTime();
      if (waitMs > 0) {
        await queue.enqueue(task, waitMs);
        return 'postponed';
      }
      const endpoint = await endpoints.get(delivery.endpointId);
      if (!endpoint?.enabled || endpoint.deletedAt !== undefined) {
        await finish(delivery, { state: 'failed' }, context);
        return 'failed';
      }
      const headers = signDelivery(delivery.webhookId, now, delivery.payload, signingSecrets(endpoint, now));
      const result = await sender.post(endpoint.url, delivery.payload, {
        'content-type': 'application/json',
        ...headers,
      });
      const firstAttemptAt = delivery.firstAttemptAt ?? now.toISOString();
      const attempts = delivery.attempts + 1;
      const outcome = {
        attempts,
        firstAttemptAt,
        lastStatus: result.status,
        lastLatencyMs: result.latencyMs,
      };
      const delivered = isDelivered(result.status);
      await recordEndpointOutcome(endpoint, delivered, context);
      if (delivered) {
        await finish(delivery, { ...outcome, state: 'delivered' }, context);
        return 'delivered';
      }
      if (retriesExhausted(new Date(firstAttemptAt), now, timeScale)) {
        if (await finish(delivery, { ...outcome, state: 'failed' }, context))
          await queue.deadLetter(
            { deliveryId: delivery.id, attempts },
            result.error ?? `status ${result.status}`,
          );
        return 'failed';
      }
      const delayMs = retryDelayMs(attempts, timeScale, ports.random);
      const nextAttemptAt = new Date(now.getTime() + delayMs).toISOString();
      const scheduled = await finish(delivery, { ...outcome, nextAttemptAt }, context);
      if (scheduled)
        await queue.enqueue({ deliveryId: delivery.id, attempts, notBefore: nextAttemptAt }, delayMs);
      return 'retrying';
    },
  };
};

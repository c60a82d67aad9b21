/**
 * Webhook endpoints and their deliveries, as the admin routes see them: register (the secret
 * shown once), list, read, change or disable, delete, rotate the secret (the old one keeps
 * signing for 24 h), list an endpoint's deliveries and replay one. Admins only (policy
 * resource `Webhook`).
 */
import { ulid } from 'ulid';
import type { ServiceContext } from '../context.ts';
import { lastActorOf, newEntityMeta } from '../context.ts';
import { NotFound, PreconditionFailed, RuleViolation } from '../errors.ts';
import type { Page, PageRequest } from '../page.ts';
import { type ActionOf, assertAllowed, decide } from '../policy.ts';
import type {
  CreateWebhookEndpointBody,
  UpdateWebhookEndpointBody,
  WebhookDelivery,
  WebhookEndpoint,
} from '../schemas/webhooks.ts';
import type {
  DeliveryQueue,
  StoredWebhookDelivery,
  StoredWebhookEndpoint,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
} from './ports.ts';
import { newWebhookSecret } from './signing.ts';
import { refusedUrl, type TargetRules } from './targets.ts';

/** How long a rotated-out secret still signs: receivers have a day to switch. */
export const PREVIOUS_SECRET_VALID_MS = 24 * 3600 * 1000;

export interface WebhookServicePorts {
  endpoints: WebhookEndpointRepository;
  deliveries: WebhookDeliveryRepository;
  queue: DeliveryQueue;
  targets: TargetRules;
  newId?: () => string;
  newSecret?: () => string;
}

/** What the API shows of an endpoint: never a secret. */
export const endpointView = (endpoint: StoredWebhookEndpoint): WebhookEndpoint => ({
  id: endpoint.id,
  url: endpoint.url,
  eventTypes: endpoint.eventTypes,
  ...(endpoint.description === undefined ? {} : { description: endpoint.description }),
  enabled: endpoint.enabled,
  ...(endpoint.disabledReason === undefined ? {} : { disabledReason: endpoint.disabledReason }),
  ...(endpoint.secretRotatedAt === undefined ? {} : { secretRotatedAt: endpoint.secretRotatedAt }),
  version: endpoint.version,
  createdAt: endpoint.createdAt,
  updatedAt: endpoint.updatedAt,
});

/** What the API shows of a delivery: never its body. */
export const deliveryView = (delivery: StoredWebhookDelivery): WebhookDelivery => ({
  id: delivery.id,
  endpointId: delivery.endpointId,
  eventType: delivery.eventType,
  webhookId: delivery.webhookId,
  attempts: delivery.attempts,
  lastStatus: delivery.lastStatus,
  lastLatencyMs: delivery.lastLatencyMs,
  ...(delivery.nextAttemptAt === undefined ? {} : { nextAttemptAt: delivery.nextAttemptAt }),
  state: delivery.state,
  createdAt: delivery.createdAt,
  updatedAt: delivery.updatedAt,
});

const pageOf = <T, V>(page: Page<T>, view: (item: T) => V): Page<V> => ({
  ...page,
  items: page.items.map(view),
});

const stamped = <T extends StoredWebhookEndpoint | StoredWebhookDelivery>(
  item: T,
  context: ServiceContext,
  action: string,
): T => ({
  ...item,
  version: item.version + 1,
  updatedAt: context.now.toISOString(),
  lastActor: lastActorOf(context, action),
});

export const createWebhookService = (ports: WebhookServicePorts) => {
  const { endpoints, deliveries, queue } = ports;
  const newId = ports.newId ?? ulid;
  const newSecret = ports.newSecret ?? newWebhookSecret;
  const allow = (context: ServiceContext, action: ActionOf<'Webhook'>) =>
    assertAllowed(decide(context.actor, action, { type: 'Webhook' }));

  const checkedUrl = (url: string): string => {
    const refusal = refusedUrl(url, ports.targets);
    if (refusal !== undefined)
      throw new RuleViolation(`The URL cannot be a webhook target: ${refusal}`, { url: refusal });
    return url;
  };

  const existing = async (id: string): Promise<StoredWebhookEndpoint> => {
    const endpoint = await endpoints.get(id);
    if (!endpoint || endpoint.deletedAt !== undefined) throw new NotFound('Webhook endpoint not found');
    return endpoint;
  };

  const replaceChecked = async (previous: StoredWebhookEndpoint, next: StoredWebhookEndpoint) => {
    await endpoints.replace(previous, next).catch(() => {
      throw new PreconditionFailed('The endpoint changed meanwhile: read it again');
    });
    return next;
  };

  return {
    create: async (context: ServiceContext, body: CreateWebhookEndpointBody) => {
      allow(context, 'create');
      const secret = newSecret();
      const endpoint: StoredWebhookEndpoint = {
        id: newId(),
        url: checkedUrl(body.url),
        eventTypes: [...new Set(body.eventTypes)],
        ...(body.description === undefined ? {} : { description: body.description }),
        enabled: true,
        secret,
        ...newEntityMeta(context),
      };
      await endpoints.create(endpoint);
      return { ...endpointView(endpoint), secret };
    },

    list: async (context: ServiceContext, page: PageRequest) => {
      allow(context, 'list');
      return pageOf(await endpoints.list(page), endpointView);
    },

    get: async (context: ServiceContext, id: string) => {
      allow(context, 'read');
      return endpointView(await existing(id));
    },

    update: async (
      context: ServiceContext,
      id: string,
      expectedVersion: number,
      body: UpdateWebhookEndpointBody,
    ) => {
      allow(context, 'update');
      const endpoint = await existing(id);
      if (endpoint.version !== expectedVersion)
        throw new PreconditionFailed('The endpoint changed meanwhile: read it again');
      const { disabledReason: _reason, failingSince: _since, ...rest } = endpoint;
      const reenabled = body.enabled === true && !endpoint.enabled;
      const next: StoredWebhookEndpoint = {
        ...(reenabled ? rest : endpoint),
        ...(body.url === undefined ? {} : { url: checkedUrl(body.url) }),
        ...(body.eventTypes === undefined ? {} : { eventTypes: [...new Set(body.eventTypes)] }),
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      };
      const action = body.enabled === false && endpoint.enabled ? 'disable' : 'update';
      return endpointView(await replaceChecked(endpoint, stamped(next, context, action)));
    },

    remove: async (context: ServiceContext, id: string) => {
      allow(context, 'delete');
      const endpoint = await existing(id);
      const next = { ...endpoint, enabled: false, deletedAt: context.now.toISOString() };
      await replaceChecked(endpoint, stamped(next, context, 'delete'));
    },

    rotateSecret: async (context: ServiceContext, id: string) => {
      allow(context, 'rotateSecret');
      const endpoint = await existing(id);
      const secret = newSecret();
      const next: StoredWebhookEndpoint = {
        ...endpoint,
        secret,
        previousSecret: endpoint.secret,
        previousSecretUntil: new Date(context.now.getTime() + PREVIOUS_SECRET_VALID_MS).toISOString(),
        secretRotatedAt: context.now.toISOString(),
      };
      await replaceChecked(endpoint, stamped(next, context, 'rotateSecret'));
      return { secret };
    },

    listDeliveries: async (context: ServiceContext, endpointId: string, page: PageRequest) => {
      allow(context, 'listDeliveries');
      await existing(endpointId);
      return pageOf(await deliveries.listOfEndpoint(endpointId, page), deliveryView);
    },

    /** Sends the delivery again, with its `webhook-id`, signed afresh; its retries start over. */
    replay: async (context: ServiceContext, deliveryId: string): Promise<WebhookDelivery> => {
      allow(context, 'replay');
      const delivery = await deliveries.get(deliveryId);
      if (!delivery) throw new NotFound('Webhook delivery not found');
      const endpoint = await existing(delivery.endpointId);
      if (!endpoint.enabled) throw new RuleViolation('The endpoint is disabled: enable it first', {});
      const { firstAttemptAt: _first, nextAttemptAt: _next, ...rest } = delivery;
      const next = stamped({ ...rest, state: 'pending' as const }, context, 'replay');
      if (!(await deliveries.replace(delivery, next)))
        throw new PreconditionFailed('The delivery changed meanwhile: try again');
      await queue.enqueue({ deliveryId, attempts: next.attempts }, 0);
      return deliveryView(next);
    },
  };
};

export type WebhookService = ReturnType<typeof createWebhookService>;

/** The `webhooks` function: outbound webhook endpoints and their deliveries (admin). */

import { httpFunction, type Operations } from '#runtime/http.ts';
import { withEtag } from '#runtime/http-input.ts';
import { withIdempotency } from '#runtime/idempotent-routes.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { versionedItemOperations } from '#runtime/versioned-items.ts';
import { WEBHOOK_ROUTES } from '#shared/routes/webhooks.ts';
import { webhookService as webhooks } from '#shared/services/webhooks.ts';

const endpoint = versionedItemOperations(webhooks);

/** Also run by the GraphQL function: one wiring of the services for both APIs. */
export const operations: Operations<'webhooks'> = {
  // The created endpoint carries its secret this once; its ETag names its version as usual.
  createWebhookEndpoint: async ({ context, body }) => withEtag(await webhooks.create(context, body), 201),
  getWebhookEndpoint: endpoint.get,
  updateWebhookEndpoint: endpoint.update,

  listWebhookEndpoints: async (input) => pagedList(input, (page) => webhooks.list(input.context, page)),

  deleteWebhookEndpoint: async ({ context, params }) => {
    await webhooks.remove(context, params.id);
    return { status: 204 };
  },

  rotateWebhookSecret: async ({ context, params }) => ({
    status: 200,
    body: await webhooks.rotateSecret(context, params.id),
  }),

  listWebhookDeliveries: async (input) =>
    pagedList(input, (page) => webhooks.listDeliveries(input.context, input.params.id, page)),

  replayWebhookDelivery: async ({ context, params }) => ({
    status: 202,
    body: await webhooks.replay(context, params.id),
  }),
};

export const handler = httpFunction(WEBHOOK_ROUTES, operations, withIdempotency);

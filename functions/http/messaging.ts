/** The `messaging` function: conversations, messages, read receipts and attachments. */

import { httpFunction, type Operations } from '#runtime/http.ts';
import { withIdempotency } from '#runtime/idempotent-routes.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { MESSAGING_ROUTES } from '#shared/routes/messaging.ts';
import { messagingService as messaging } from '#shared/services/messaging.ts';

/** Also run by the GraphQL function: one wiring of the services for both APIs. */
export const operations: Operations<'messaging'> = {
  createConversation: async ({ context, body }) => ({
    status: 201,
    body: await messaging.createConversation(context, body),
  }),

  listConversations: async (input) =>
    pagedList(input, (page) => messaging.listConversations(input.context, page)),

  getConversation: async ({ context, params }) => ({
    status: 200,
    body: await messaging.getConversation(context, params.id),
  }),

  sendMessage: async ({ context, params, body }) => ({
    status: 201,
    body: await messaging.sendMessage(context, params.id, body),
  }),

  listMessages: async (input) =>
    pagedList(input, (page, filters) =>
      messaging.listMessages(input.context, input.params.id, { ...filters, ...page }),
    ),

  markConversationRead: async ({ context, params, body }) => {
    await messaging.markRead(context, params.id, body.upToMessageId);
    return { status: 204 };
  },

  createAttachmentUpload: async ({ context, params, body }) => ({
    status: 201,
    body: await messaging.createAttachmentUpload(context, params.id, body),
  }),

  getAttachmentDownload: async ({ context, params }) => ({
    status: 200,
    body: await messaging.attachmentDownload(context, params.id, params.attachmentId),
  }),
};

export const handler = httpFunction(MESSAGING_ROUTES, operations, withIdempotency);

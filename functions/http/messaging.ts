/** The `messaging` function: conversations, messages, read receipts and attachments. */
import { s3AttachmentStore } from '#data/attachment-store.ts';
import { messagingRepository } from '#data/messaging.ts';
import { cognitoParticipantDirectory } from '#data/participant-directory.ts';
import type { ListPosition } from '#domain/messaging/ports.ts';
import { createMessagingService } from '#domain/messaging/service.ts';
import { type CursorBinding, decodeCursor, encodeCursor } from '#runtime/cursor.ts';
import { httpFunction } from '#runtime/http.ts';
import { serviceContextOf } from '#runtime/service-context.ts';

const messaging = createMessagingService({
  repository: messagingRepository,
  directory: cognitoParticipantDirectory,
  attachments: s3AttachmentStore,
});

const positionOf = (cursor: string | undefined, binding: CursorBinding) =>
  cursor ? decodeCursor<ListPosition>(cursor, binding) : Promise.resolve(undefined);

const cursorOf = async (next: ListPosition | undefined, binding: CursorBinding) =>
  next ? encodeCursor(next, binding) : null;

export const handler = httpFunction('messaging', {
  createConversation: async (input) => ({
    status: 201,
    body: await messaging.createConversation(serviceContextOf(input), input.body),
  }),

  listConversations: async (input) => {
    const binding = { userId: input.auth.userId, routeKey: input.event.routeKey, filters: {} };
    const position = await positionOf(input.query.cursor, binding);
    const page = await messaging.listConversations(serviceContextOf(input), {
      limit: input.query.limit,
      position,
    });
    return { status: 200, body: { items: page.items, nextCursor: await cursorOf(page.next, binding) } };
  },

  getConversation: async (input) => ({
    status: 200,
    body: await messaging.getConversation(serviceContextOf(input), input.params.id),
  }),

  sendMessage: async (input) => ({
    status: 201,
    body: await messaging.sendMessage(serviceContextOf(input), input.params.id, input.body),
  }),

  listMessages: async (input) => {
    const { before, after, limit, cursor } = input.query;
    const filters = { conversationId: input.params.id, before, after };
    const binding = { userId: input.auth.userId, routeKey: input.event.routeKey, filters };
    const position = await positionOf(cursor, binding);
    const page = await messaging.listMessages(serviceContextOf(input), input.params.id, {
      before,
      after,
      limit,
      position,
    });
    return { status: 200, body: { items: page.items, nextCursor: await cursorOf(page.next, binding) } };
  },

  markConversationRead: async (input) => {
    await messaging.markRead(serviceContextOf(input), input.params.id, input.body.upToMessageId);
    return { status: 204 };
  },

  createAttachmentUpload: async (input) => ({
    status: 201,
    body: await messaging.createAttachmentUpload(serviceContextOf(input), input.params.id, input.body),
  }),

  getAttachmentDownload: async (input) => ({
    status: 200,
    body: await messaging.attachmentDownload(
      serviceContextOf(input),
      input.params.id,
      input.params.attachmentId,
    ),
  }),
});

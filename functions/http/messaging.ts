/** The `messaging` function: conversations, messages, read receipts and attachments. */
import { s3AttachmentStore } from '#data/attachment-store.ts';
import { messagingRepository } from '#data/messaging.ts';
import { cognitoParticipantDirectory } from '#data/participant-directory.ts';
import { createMessagingService } from '#domain/messaging/service.ts';
import { httpFunction } from '#runtime/http.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { serviceContextOf } from '#runtime/service-context.ts';

const messaging = createMessagingService({
  repository: messagingRepository,
  directory: cognitoParticipantDirectory,
  attachments: s3AttachmentStore,
});

export const handler = httpFunction('messaging', {
  createConversation: async (input) => ({
    status: 201,
    body: await messaging.createConversation(serviceContextOf(input), input.body),
  }),

  listConversations: async (input) =>
    pagedList(input, {}, (page) => messaging.listConversations(serviceContextOf(input), page)),

  getConversation: async (input) => ({
    status: 200,
    body: await messaging.getConversation(serviceContextOf(input), input.params.id),
  }),

  sendMessage: async (input) => ({
    status: 201,
    body: await messaging.sendMessage(serviceContextOf(input), input.params.id, input.body),
  }),

  listMessages: async (input) => {
    const { before, after } = input.query;
    return pagedList(input, { conversationId: input.params.id, before, after }, (page) =>
      messaging.listMessages(serviceContextOf(input), input.params.id, { before, after, ...page }),
    );
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

/**
 * The messaging repository on Main (shared/data/entities/messaging.ts): one DynamoDB call (or
 * one transaction, for a new conversation) per function, each with its condition right there.
 */
import type { MessagingRepository } from '#domain/messaging/ports.ts';
import { StaleWrite } from '#domain/repository.ts';
import { is } from './conditions.ts';
import {
  attachmentEntity,
  conversationEntity,
  membershipEntity,
  messageEntity,
} from './entities/messaging.ts';
import { applied } from './entity-writes.ts';
import { transact } from './transact.ts';

export const messagingRepository: MessagingRepository = {
  createConversation: (conversation, members, lastActor) =>
    transact([
      conversationEntity.ops.create(conversation),
      ...members.map((member) => membershipEntity.ops.create(member, { lastActor })),
    ]),

  getMembership: (conversationId, userId) => membershipEntity.get({ conversationId, userId }),

  listMembers: (conversationId, options = {}) =>
    membershipEntity.all.primary({ conversationId }, { consistent: options.consistent ?? false }),

  listMembershipsOfUser: (userId, limit, position) =>
    membershipEntity.query.byUser({ userId }, { limit, position, descending: true }),

  putMessage: async (message, meta) => {
    try {
      await messageEntity.create(message, { ...meta });
      return { message, created: true };
    } catch (error) {
      // A retry: the key is taken by the first attempt, whose message is the answer.
      if (!(error instanceof StaleWrite) || error.current === undefined) throw error;
      return { message: error.current, created: false };
    }
  },

  findMessage: async (conversationId, messageId) =>
    (await messageEntity.query.byConversation({ conversationId, id: messageId })).items[0],

  listMessages: (conversationId, query) =>
    messageEntity.query.byConversation(
      { conversationId },
      {
        limit: query.limit,
        position: query.position,
        descending: query.newestFirst,
        ...(query.before
          ? { where: { before: { id: query.before } } }
          : query.after
            ? { where: { after: { id: query.after } } }
            : {}),
      },
    ),

  markRead: (conversationId, userId, receipt, lastActor) =>
    applied(
      membershipEntity.updateOnly(
        { conversationId, userId },
        { set: { readUpTo: receipt.upToMessageId, readAt: receipt.readAt, lastActor } },
        [is.present(), is.any(is.absent('readUpTo'), is.below('readUpTo', receipt.upToMessageId))],
      ),
    ),

  putAttachment: (attachment, meta) => attachmentEntity.create(attachment, { ...meta }),

  getAttachments: (conversationId, attachmentIds) =>
    attachmentEntity.getMany(attachmentIds.map((id) => ({ conversationId, id }))),
};

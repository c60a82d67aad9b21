/**
 * A conversation's partition holds the conversation, its memberships, messages and attachments.
 * Messages are keyed by sender + clientMessageId (a retried send hits the same key) and ordered
 * by their ULID on the parent index; memberships are listed per user there by latest activity.
 */
import type {
  AttachmentRecord,
  ConversationRecord,
  MembershipRecord,
  MessageRecord,
} from '#domain/messaging/ports.ts';
import { defineEntity } from '../entity.ts';
import { ITEM_KINDS, PREFIX } from '../keys.ts';

/** Bookkeeping every messaging item stores and no messaging record carries. */
const BOOKKEEPING = ['lastActor', 'version', 'updatedAt'] as const;

/** `CONV#<id>` / `CONV#<id>`. */
export const conversationEntity = defineEntity<ConversationRecord>()({
  kind: ITEM_KINDS.conversation,
  primary: {
    pk: { prefix: PREFIX.conversation, fields: ['id'] },
    sk: { prefix: PREFIX.conversation, fields: ['id'] },
  },
  hidden: BOOKKEEPING,
});

/** `CONV#<id>` / `MEMBER#<sub>`; unread ids are a string set (adding is idempotent), absent when empty. */
export const membershipEntity = defineEntity<MembershipRecord>()({
  kind: ITEM_KINDS.conversationMember,
  primary: {
    pk: { prefix: PREFIX.conversation, fields: ['conversationId'] },
    sk: { prefix: PREFIX.member, fields: ['userId'] },
  },
  indexes: {
    /** A user's conversations, latest activity last: `MEMBER#<sub>` / `CONV#<lastMessageAt>#<id>`. */
    byUser: {
      index: 'byParent',
      pk: { prefix: PREFIX.member, fields: ['userId'] },
      sk: { prefix: PREFIX.conversation, fields: ['lastMessageAt', 'conversationId'] },
    },
  },
  hidden: BOOKKEEPING,
  encode: ({ unreadIds: _stored, ...fields }) => fields,
  decode: (item) => ({
    ...item,
    unreadIds: item.unreadIds instanceof Set ? [...(item.unreadIds as Set<string>)].sort() : [],
  }),
});

/** `CONV#<id>` / `MSG#<senderSub>#<clientMessageId>`: the idempotency of a send is the key itself. */
export const messageEntity = defineEntity<MessageRecord>()({
  kind: ITEM_KINDS.message,
  primary: {
    pk: { prefix: PREFIX.conversation, fields: ['conversationId'] },
    sk: { prefix: PREFIX.message, fields: ['senderId', 'clientMessageId'] },
  },
  indexes: {
    /** A conversation's messages in id order: `CONV#<id>` / `MSG#<ulid>`. */
    byConversation: {
      index: 'byParent',
      pk: { prefix: PREFIX.conversation, fields: ['conversationId'] },
      sk: { prefix: PREFIX.message, fields: ['id'] },
    },
  },
  hidden: [...BOOKKEEPING, 'createdAt'],
});

/** `CONV#<id>` / `ATT#<attachmentId>`. */
export const attachmentEntity = defineEntity<AttachmentRecord>()({
  kind: ITEM_KINDS.attachment,
  primary: {
    pk: { prefix: PREFIX.conversation, fields: ['conversationId'] },
    sk: { prefix: PREFIX.attachment, fields: ['id'] },
  },
  hidden: BOOKKEEPING,
});

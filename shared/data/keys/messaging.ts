import { type Gsi1Key, ITEM_KINDS, key, PREFIX, type PrimaryKey } from '../keys.ts';

/**
 * A conversation's partition holds the conversation, its memberships, messages and attachments.
 * Messages are keyed by sender + clientMessageId (a retried send hits the same key) and ordered
 * by their ULID on gsi1; memberships are listed per user on gsi1 by latest activity.
 */
export const conversationKeys = {
  kind: ITEM_KINDS.conversation,
  /** `CONV#<id>` / `CONV#<id>`. */
  primary: (conversationId: string): PrimaryKey => ({
    pk: key(PREFIX.conversation, conversationId),
    sk: key(PREFIX.conversation, conversationId),
  }),
} as const;

export const membershipKeys = {
  kind: ITEM_KINDS.conversationMember,
  /** `CONV#<id>` / `MEMBER#<sub>`. */
  primary: (conversationId: string, userId: string): PrimaryKey => ({
    pk: key(PREFIX.conversation, conversationId),
    sk: key(PREFIX.member, userId),
  }),
  /** The Query condition for a conversation's members on the table. */
  membersQuery: (conversationId: string): { pk: string; skPrefix: string } => ({
    pk: key(PREFIX.conversation, conversationId),
    skPrefix: `${PREFIX.member}#`,
  }),
  /** gsi1 `MEMBER#<sub>` / `CONV#<lastMessageAt>#<id>`: a user's conversations, latest activity last. */
  byUser: (userId: string, lastMessageAt: string, conversationId: string): Gsi1Key => ({
    gsi1pk: key(PREFIX.member, userId),
    gsi1sk: key(PREFIX.conversation, lastMessageAt, conversationId),
  }),
  userQuery: (userId: string): { gsi1pk: string; gsi1skPrefix: string } => ({
    gsi1pk: key(PREFIX.member, userId),
    gsi1skPrefix: `${PREFIX.conversation}#`,
  }),
} as const;

export const messageKeys = {
  kind: ITEM_KINDS.message,
  /** `CONV#<id>` / `MSG#<senderSub>#<clientMessageId>`: the idempotency of a send is the key itself. */
  primary: (conversationId: string, senderId: string, clientMessageId: string): PrimaryKey => ({
    pk: key(PREFIX.conversation, conversationId),
    sk: key(PREFIX.message, senderId, clientMessageId),
  }),
  /** gsi1 `CONV#<id>` / `MSG#<ulid>`: a conversation's messages in id order. */
  byConversation: (conversationId: string, messageId: string): Gsi1Key => ({
    gsi1pk: key(PREFIX.conversation, conversationId),
    gsi1sk: key(PREFIX.message, messageId),
  }),
} as const;

export const attachmentKeys = {
  kind: ITEM_KINDS.attachment,
  /** `CONV#<id>` / `ATT#<attachmentId>`. */
  primary: (conversationId: string, attachmentId: string): PrimaryKey => ({
    pk: key(PREFIX.conversation, conversationId),
    sk: key(PREFIX.attachment, attachmentId),
  }),
} as const;

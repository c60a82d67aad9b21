/**
 * The messaging repository on Main: one DynamoDB call (or one transaction, for a new
 * conversation) per function, each with its condition right there.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  AttachmentRecord,
  MembershipRecord,
  MessageRecord,
  MessagingRepository,
} from '#domain/messaging/ports.ts';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';
import { attachmentKeys, conversationKeys, membershipKeys, messageKeys } from './keys/messaging.ts';
import { MAIN_INDEX } from './tables.ts';

const table = () => requireEnv('mainTable');
const GSI1 = MAIN_INDEX.byOwner;

export const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');

/** The item's own attributes, without keys and bookkeeping. */
const strip = <T>(item: Record<string, unknown>, omit: readonly string[]): T => {
  const copy = { ...item };
  for (const name of ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'kind', 'lastActor', 'version', 'updatedAt', ...omit])
    delete copy[name];
  return copy as T;
};

/** Memberships keep unread ids as a string set (adding is idempotent); an empty set is absent. */
export const toMembership = (item: Record<string, unknown>): MembershipRecord => {
  const unread = item.unreadIds;
  return {
    ...strip<MembershipRecord>(item, []),
    unreadIds: unread instanceof Set ? [...(unread as Set<string>)].sort() : [],
  };
};

const toMessageRecord = (item: Record<string, unknown>): MessageRecord =>
  strip<MessageRecord>(item, ['createdAt']);

const membershipItem = (member: MembershipRecord) => {
  const { unreadIds: _none, ...fields } = member;
  return {
    ...membershipKeys.primary(member.conversationId, member.userId),
    ...membershipKeys.byUser(member.userId, member.lastMessageAt, member.conversationId),
    kind: membershipKeys.kind,
    ...fields,
  };
};

export const messagingRepository: MessagingRepository = {
  createConversation: async (conversation, members, lastActor) => {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: {
                ...conversationKeys.primary(conversation.id),
                kind: conversationKeys.kind,
                ...conversation,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...members.map((member) => ({
            Put: {
              TableName: table(),
              Item: { ...membershipItem(member), lastActor },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        ],
      }),
    );
  },

  getMembership: async (conversationId, userId) => {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: table(), Key: membershipKeys.primary(conversationId, userId) }),
    );
    return Item ? toMembership(Item) : undefined;
  },

  listMembers: async (conversationId) => {
    const { pk, skPrefix } = membershipKeys.membersQuery(conversationId);
    const { Items = [] } = await documentClient.send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      }),
    );
    return Items.map(toMembership);
  },

  listMembershipsOfUser: async (userId, limit, position) => {
    const { gsi1pk, gsi1skPrefix } = membershipKeys.userQuery(userId);
    const { Items = [], LastEvaluatedKey } = await documentClient.send(
      new QueryCommand({
        TableName: table(),
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ':pk': gsi1pk, ':prefix': gsi1skPrefix },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: position,
      }),
    );
    return { items: Items.map(toMembership), next: LastEvaluatedKey };
  },

  putMessage: async (message, meta) => {
    const key = messageKeys.primary(message.conversationId, message.senderId, message.clientMessageId);
    try {
      await documentClient.send(
        new PutCommand({
          TableName: table(),
          Item: {
            ...key,
            ...messageKeys.byConversation(message.conversationId, message.id),
            kind: messageKeys.kind,
            ...message,
            ...meta,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { message, created: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // A retry: the key is taken by the first attempt, whose message is the answer.
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }),
      );
      if (!Item) throw error;
      return { message: toMessageRecord(Item), created: false };
    }
  },

  findMessage: async (conversationId, messageId) => {
    const { gsi1pk, gsi1sk } = messageKeys.byConversation(conversationId, messageId);
    const { Items = [] } = await documentClient.send(
      new QueryCommand({
        TableName: table(),
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
        ExpressionAttributeValues: { ':pk': gsi1pk, ':sk': gsi1sk },
      }),
    );
    return Items[0] ? toMessageRecord(Items[0]) : undefined;
  },

  listMessages: async (conversationId, query) => {
    // gsi1pk CONV#<id> holds only this conversation's messages, so the bounds need no prefix.
    const { gsi1pk, gsi1sk: prefix } = messageKeys.byConversation(conversationId, '');
    const bound = query.before
      ? {
          condition: 'gsi1sk < :bound',
          value: messageKeys.byConversation(conversationId, query.before).gsi1sk,
        }
      : query.after
        ? {
            condition: 'gsi1sk > :bound',
            value: messageKeys.byConversation(conversationId, query.after).gsi1sk,
          }
        : { condition: 'begins_with(gsi1sk, :bound)', value: prefix };
    const { Items = [], LastEvaluatedKey } = await documentClient.send(
      new QueryCommand({
        TableName: table(),
        IndexName: GSI1,
        KeyConditionExpression: `gsi1pk = :pk AND ${bound.condition}`,
        ExpressionAttributeValues: { ':pk': gsi1pk, ':bound': bound.value },
        ScanIndexForward: !query.newestFirst,
        Limit: query.limit,
        ExclusiveStartKey: query.position,
      }),
    );
    return { items: Items.map(toMessageRecord), next: LastEvaluatedKey };
  },

  markRead: async (conversationId, userId, receipt, lastActor) => {
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: table(),
          Key: membershipKeys.primary(conversationId, userId),
          UpdateExpression: 'SET readUpTo = :id, readAt = :at, lastActor = :actor',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(readUpTo) OR readUpTo < :id)',
          ExpressionAttributeValues: {
            ':id': receipt.upToMessageId,
            ':at': receipt.readAt,
            ':actor': lastActor,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  putAttachment: async (attachment, meta) => {
    await documentClient.send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...attachmentKeys.primary(attachment.conversationId, attachment.id),
          kind: attachmentKeys.kind,
          ...attachment,
          ...meta,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  getAttachments: async (conversationId, attachmentIds) => {
    if (attachmentIds.length === 0) return [];
    const { Responses, UnprocessedKeys } = await documentClient.send(
      new BatchGetCommand({
        RequestItems: {
          [table()]: { Keys: attachmentIds.map((id) => attachmentKeys.primary(conversationId, id)) },
        },
      }),
    );
    // At most ten small items: DynamoDB leaves keys unprocessed only when throttled.
    if (Object.keys(UnprocessedKeys ?? {}).length > 0) throw new Error('attachments read throttled; retry');
    return (Responses?.[table()] ?? []).map((item) => strip<AttachmentRecord>(item, []));
  },
};

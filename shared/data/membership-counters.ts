/**
 * Membership counters, written by the notify consumer after each message and receipt, off the
 * send path. Every write is safe to repeat and to apply out of order (stream delivery is at
 * least once): unread ids are a set, activity only moves forward. Their `lastActor.action` is
 * `counters`, so the audit ledger leaves them out.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LastActor } from '#domain/context.ts';
import { MAX_TRACKED_UNREAD } from '#domain/messaging/rules.ts';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';
import { membershipKeys } from './keys/messaging.ts';
import { isConditionFailure } from './messaging.ts';

const UNREAD_ROOM = '(attribute_not_exists(unreadIds) OR size(unreadIds) < :max)';
const NOT_YET_READ = '(attribute_not_exists(readUpTo) OR readUpTo < :id)';
const ACTIVITY_MOVES_FORWARD = '(attribute_not_exists(lastMessageAt) OR lastMessageAt < :at)';

/** One conditional update; a failed condition means there is nothing to change. */
const update = async (input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> => {
  try {
    await documentClient.send(new UpdateCommand(input));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

/** Moves the member's latest activity (and so their list order) forward to the message's time. */
export const recordActivity = (
  member: { conversationId: string; userId: string },
  sentAt: string,
  actor: LastActor,
): Promise<boolean> =>
  update({
    TableName: requireEnv('mainTable'),
    Key: membershipKeys.primary(member.conversationId, member.userId),
    UpdateExpression: 'SET lastMessageAt = :at, gsi1sk = :sk, lastActor = :actor',
    ConditionExpression: `attribute_exists(pk) AND ${ACTIVITY_MOVES_FORWARD}`,
    ExpressionAttributeValues: {
      ':at': sentAt,
      ':sk': membershipKeys.byUser(member.userId, sentAt, member.conversationId).gsi1sk,
      ':actor': actor,
    },
  });

/** Counts a message for a recipient who has not read past it: activity and unread in one write when possible. */
export const countMessageFor = async (
  member: { conversationId: string; userId: string },
  message: { id: string; sentAt: string },
  actor: LastActor,
): Promise<void> => {
  const key = membershipKeys.primary(member.conversationId, member.userId);
  const values = {
    ':id': message.id,
    ':ids': new Set([message.id]),
    ':max': MAX_TRACKED_UNREAD,
    ':actor': actor,
  };
  const both = await update({
    TableName: requireEnv('mainTable'),
    Key: key,
    UpdateExpression: 'SET lastMessageAt = :at, gsi1sk = :sk, lastActor = :actor ADD unreadIds :ids',
    ConditionExpression: `attribute_exists(pk) AND ${ACTIVITY_MOVES_FORWARD} AND ${NOT_YET_READ} AND ${UNREAD_ROOM}`,
    ExpressionAttributeValues: {
      ...values,
      ':at': message.sentAt,
      ':sk': membershipKeys.byUser(member.userId, message.sentAt, member.conversationId).gsi1sk,
    },
  });
  if (both) return;
  // Out of order, already read, or full: each half on its own.
  await recordActivity(member, message.sentAt, actor);
  await update({
    TableName: requireEnv('mainTable'),
    Key: key,
    UpdateExpression: 'SET lastActor = :actor ADD unreadIds :ids',
    ConditionExpression: `attribute_exists(pk) AND ${NOT_YET_READ} AND ${UNREAD_ROOM} AND NOT contains(unreadIds, :id)`,
    ExpressionAttributeValues: values,
  });
};

/** Drops the unread ids a receipt now covers. */
export const dropCoveredUnread = async (
  member: { conversationId: string; userId: string },
  coveredIds: readonly string[],
  actor: LastActor,
): Promise<void> => {
  if (coveredIds.length === 0) return;
  await update({
    TableName: requireEnv('mainTable'),
    Key: membershipKeys.primary(member.conversationId, member.userId),
    UpdateExpression: 'SET lastActor = :actor DELETE unreadIds :ids',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':ids': new Set(coveredIds), ':actor': actor },
  });
};

/**
 * Failed-login counters in Main, one item per email (hashed) with `ttl`. DynamoDB Local never
 * expires items, so every read and condition treats an item past its `ttl` as absent.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LoginThrottleStore } from '#domain/identity/ports.ts';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';
import { loginThrottleKeys } from './keys.ts';

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

/** Counts a failure in the live window; false when there is no live window to count in. */
const countInWindow = async (emailKey: string, now: Date) => {
  try {
    const { Attributes } = await documentClient.send(
      new UpdateCommand({
        TableName: requireEnv('mainTable'),
        Key: loginThrottleKeys.primary(emailKey),
        UpdateExpression: 'SET failures = failures + :one',
        ConditionExpression: 'attribute_exists(pk) AND #ttl > :now',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':now': seconds(now) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes as { failures: number; lockedUntil?: number } | undefined;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
};

/** Opens a window with its first failure, unless a live one exists (a racing request opened it). */
const openWindow = async (emailKey: string, now: Date, windowSeconds: number) => {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: requireEnv('mainTable'),
        Item: {
          ...loginThrottleKeys.primary(emailKey),
          kind: loginThrottleKeys.kind,
          failures: 1,
          windowStartedAt: now.toISOString(),
          ttl: seconds(now) + windowSeconds,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':now': seconds(now) },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

export const loginThrottleStore: LoginThrottleStore = {
  lockedUntil: async (emailKey, now) => {
    const { Item } = await documentClient.send(
      new GetCommand({
        TableName: requireEnv('mainTable'),
        Key: loginThrottleKeys.primary(emailKey),
        ConsistentRead: true,
      }),
    );
    const lockedUntil = typeof Item?.lockedUntil === 'number' ? Item.lockedUntil : undefined;
    if (lockedUntil === undefined || lockedUntil <= seconds(now)) return undefined;
    return new Date(lockedUntil * 1000);
  },

  recordFailure: async (emailKey, now, limits) => {
    let counted = await countInWindow(emailKey, now);
    if (!counted && (await openWindow(emailKey, now, limits.windowSeconds))) return;
    counted ??= await countInWindow(emailKey, now);
    if (!counted || counted.failures < limits.maxFailures || counted.lockedUntil !== undefined) return;
    const lockedUntil = seconds(now) + limits.lockSeconds;
    await documentClient
      .send(
        new UpdateCommand({
          TableName: requireEnv('mainTable'),
          Key: loginThrottleKeys.primary(emailKey),
          UpdateExpression: 'SET lockedUntil = :until, #ttl = :until',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(lockedUntil)',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':until': lockedUntil },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  },

  clear: async (emailKey) => {
    await documentClient.send(
      new DeleteCommand({ TableName: requireEnv('mainTable'), Key: loginThrottleKeys.primary(emailKey) }),
    );
  },
};

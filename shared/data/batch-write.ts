/**
 * Puts many Main items with BatchWriteItem, 25 a call (DynamoDB's limit), the calls side by side,
 * retrying what DynamoDB leaves unprocessed (it does so only when throttled) with backoff. No
 * conditions: only for items whose keys are new or whose rewrite is the same item (a function
 * needs BatchWriteItem on their partitions: BATCH_WRITE_SCOPES in write-scopes.ts).
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { forEachInFlight } from '#domain/in-flight.ts';
import { requireEnv } from '#runtime/config.ts';
import { chunksOf, untilProcessed } from './batches.ts';
import { documentClient } from './client.ts';

const BATCH_ITEMS = 25;

type PutRequest = { PutRequest: { Item: Record<string, unknown> } };

const putBatch = (items: readonly Record<string, unknown>[], throttled: string): Promise<void> => {
  const table = requireEnv('mainTable');
  return untilProcessed(
    items.map((Item): PutRequest => ({ PutRequest: { Item } })),
    async (requests) => {
      const { UnprocessedItems } = await documentClient.send(
        new BatchWriteCommand({ RequestItems: { [table]: [...requests] } }),
      );
      return (UnprocessedItems?.[table] ?? []) as PutRequest[];
    },
    { calls: 9, firstDelayMs: 100, gaveUp: throttled },
  );
};

/**
 * Puts the items; `throttled` is the error thrown when DynamoDB keeps leaving some unprocessed.
 * `inFlight` bounds the calls made at once (default: all of them).
 */
export const putItems = async (
  items: readonly Record<string, unknown>[],
  throttled: string,
  inFlight = Number.POSITIVE_INFINITY,
): Promise<void> => {
  await forEachInFlight(chunksOf(items, BATCH_ITEMS), inFlight, (batch) => putBatch(batch, throttled));
};

/**
 * Puts many Main items with BatchWriteItem, 25 a call (DynamoDB's limit), the calls side by side,
 * retrying what DynamoDB leaves unprocessed (it does so only when throttled) with backoff. No
 * conditions: only for items whose keys are new or whose rewrite is the same item (a function
 * needs BatchWriteItem on their partitions: BATCH_WRITE_SCOPES in write-scopes.ts).
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';

const BATCH_ITEMS = 25;
const UNPROCESSED_RETRIES = 8;

const putBatch = async (items: readonly Record<string, unknown>[], throttled: string): Promise<void> => {
  const table = requireEnv('mainTable');
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; requests.length > 0; attempt += 1) {
    if (attempt > UNPROCESSED_RETRIES) throw new Error(throttled);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    const { UnprocessedItems } = await documentClient.send(
      new BatchWriteCommand({ RequestItems: { [table]: requests } }),
    );
    requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
  }
};

/** Puts the items; `throttled` is the error thrown when DynamoDB keeps leaving some unprocessed. */
export const putItems = async (
  items: readonly Record<string, unknown>[],
  throttled: string,
): Promise<void> => {
  const batches = Array.from({ length: Math.ceil(items.length / BATCH_ITEMS) }, (_, index) =>
    items.slice(index * BATCH_ITEMS, (index + 1) * BATCH_ITEMS),
  );
  await Promise.all(batches.map((batch) => putBatch(batch, throttled)));
};

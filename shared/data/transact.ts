/**
 * TransactWriteItems over entity writes (`entity.ops.*`). DynamoDB reports one cancellation
 * reason per item, in request order: `ConditionalCheckFailed` where that item's condition was
 * false (with the item as it is, since every op asks ReturnValuesOnConditionCheckFailure),
 * `TransactionConflict` where another transaction held the item, `None` elsewhere.
 */
import type { AttributeValue, CancellationReason } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { documentClient } from './client.ts';

type Stored = Record<string, unknown>;

export type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** Whether an error is a refused condition of a single write (by name: mocks use other classes). */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

const ATTRIBUTE_TYPES = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);

/** Whether every value is a DynamoDB AttributeValue ({ S: … }), as lib-dynamodb leaves items in errors. */
const isMarshalled = (item: object) =>
  Object.values(item).every((value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const [type, ...more] = Object.keys(value);
    return type !== undefined && more.length === 0 && ATTRIBUTE_TYPES.has(type);
  });

/** The item a refusal carries, as plain values (marshalled from DynamoDB, plain from a mock). */
export const storedItemOf = (item: unknown): Stored | undefined => {
  if (item === undefined || item === null || typeof item !== 'object') return undefined;
  return isMarshalled(item) ? unmarshall(item as Record<string, AttributeValue>) : (item as Stored);
};

/** The transaction's refusal: for each item that failed its condition, its position and current item. */
export class TransactionRefused extends Error {
  override name = 'TransactionRefused';
  readonly failures: ReadonlyArray<{ index: number; current: Stored | undefined }>;
  constructor(failures: ReadonlyArray<{ index: number; current: Stored | undefined }>) {
    super(`transaction refused: condition failed at ${failures.map((failure) => failure.index).join(', ')}`);
    this.failures = failures;
  }
  /** The current item of the op at `index` when that op's condition failed. */
  failedAt(index: number): { current: Stored | undefined } | undefined {
    return this.failures.find((failure) => failure.index === index);
  }
}

/** Retries of a transaction that lost only to concurrent ones, with jitter so racers spread out. */
const ATTEMPTS = 6;

const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));

/**
 * Runs the transaction, retrying while it loses only to concurrent transactions; a failed
 * condition is TransactionRefused naming each failed item.
 */
export const transact = async (items: readonly TransactItem[]): Promise<void> => {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: [...items] }));
      return;
    } catch (error) {
      if (!(error instanceof Error && error.name === 'TransactionCanceledException')) throw error;
      const reasons: CancellationReason[] =
        (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
      const failures = reasons.flatMap((reason, index) =>
        reason.Code === 'ConditionalCheckFailed' ? [{ index, current: storedItemOf(reason.Item) }] : [],
      );
      const conflicted = reasons.some((reason) => reason.Code === 'TransactionConflict');
      if (failures.length === 0 && conflicted && attempt + 1 < ATTEMPTS) {
        await backoff(attempt);
        continue;
      }
      // Still losing only to concurrent transactions after every attempt: stale all the same.
      if (failures.length === 0 && !conflicted) throw error;
      throw new TransactionRefused(failures);
    }
  }
};

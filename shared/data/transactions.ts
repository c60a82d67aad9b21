/**
 * Reading why a TransactWriteItems was cancelled. DynamoDB reports one reason per item, in
 * request order: `ConditionalCheckFailed` where that item's condition was false,
 * `TransactionConflict` where another transaction held the item, `None` elsewhere.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

export const cancellationCodes = (error: unknown): string[] | undefined =>
  error instanceof TransactionCanceledException
    ? (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None')
    : undefined;

/** Whether the cancellation came only from concurrent transactions (worth a retry), not a condition. */
export const onlyConflicted = (codes: readonly string[]): boolean =>
  codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');

/** Retries of a transaction that lost only to concurrent ones, with jitter so racers spread out. */
export const TRANSACTION_ATTEMPTS = 6;

export const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));

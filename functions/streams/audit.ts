/**
 * The `audit` stream consumer: one AuditLedger entry per audited change of Main, exactly once
 * per stream record. Records of one chain are appended one after another in stream order;
 * different chains side by side. A record that fails is reported (ReportBatchItemFailures), so
 * the event source retries from it, bisecting, and dead-letters it after its retries.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ledgerWriter } from '#data/audit-ledger.ts';
import { auditChangeOf } from '#data/stream-images.ts';
import { type AppendOutcome, appendChange } from '#domain/audit/append.ts';
import { createChainHeads } from '#domain/audit/chain-heads.ts';
import { chainKeyOf, draftOf } from '#domain/audit/item-changes.ts';
import { logger } from '#runtime/logger.ts';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

// Chain heads carried between appends (and batches) of this container: a chain's next change
// is one conditional Put, no Query, while no other writer appends to it.
const heads = createChainHeads(10_000);

export const handler = async (event: DynamoDBStreamEvent, context: Context) => {
  const chains = new Map<string, Promise<AppendOutcome>>();
  const outcomes: Record<AppendOutcome | 'skipped', number> = { appended: 0, replayed: 0, skipped: 0 };
  const appendRecord = async (record: DynamoDBRecord) => {
    const change = auditChangeOf(record);
    const draft = change && draftOf(change);
    if (!draft) {
      outcomes.skipped += 1;
      return;
    }
    const chain = chainKeyOf(draft.chain);
    // After the chain's previous record, whether it succeeded or not: a failed one leaves a
    // gap this one refuses to skip (ChangeOutOfOrder), so both are retried, in order.
    const previous = chains.get(chain)?.catch(() => undefined) ?? Promise.resolve();
    const appending = previous.then(() => appendChange(ledgerWriter, draft, heads));
    chains.set(chain, appending);
    outcomes[await appending] += 1;
  };
  const response = await processPartialResponse(event, appendRecord, processor, { context });
  // Ids and counts only: images carry PHI.
  logger.info('audit batch', {
    records: event.Records.length,
    ...outcomes,
    failed: response.batchItemFailures.length,
  });
  return response;
};

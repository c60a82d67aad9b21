/**
 * The daily ledger archive, run by an EventBridge schedule: days older than the ledger's
 * retention in DynamoDB are exported to the locked bucket and, once read back intact, expired
 * from the table (all but each chain's newest entry). The event's `time` is "now", so the twin's
 * scheduler can fire it as if months had passed.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { ledgerReader } from '#data/audit-queries.ts';
import { s3EvidenceStore } from '#data/evidence-store.ts';
import { ledgerExpirer } from '#data/ledger-expiry.ts';
import { type ArchiveRunResult, createArchiveRun } from '#domain/audit/archive-run.ts';
import { optionalEnv } from '#runtime/config.ts';
import { logger } from '#runtime/logger.ts';

/** Days an entry stays in DynamoDB before its day is archived (context `ledgerArchiveAfterDays`). */
const afterDays = Number(optionalEnv('ledgerArchiveAfterDays') ?? '90');

const run = createArchiveRun({
  reader: ledgerReader,
  store: s3EvidenceStore,
  expirer: ledgerExpirer,
  afterDays,
});

export const handler = async (event: ScheduledEvent): Promise<ArchiveRunResult> => {
  const time = new Date(event.time);
  if (Number.isNaN(time.getTime())) throw new Error('the scheduled event has no valid time');
  const result = await run(time);
  logger.info('ledger archive', { days: result.days });
  return result;
};

/**
 * The hourly ledger digest, run by an EventBridge schedule: the hour before the event's `time` is
 * digested (a redelivered run finds its digest written and writes nothing), so the twin's
 * scheduler can fire it for a chosen hour.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { ledgerReader } from '#data/audit-queries.ts';
import { s3EvidenceStore } from '#data/evidence-store.ts';
import { ledgerSigner } from '#data/ledger-signer.ts';
import { createDigestRun, type DigestRunResult } from '#domain/audit/digest-run.ts';
import { logger } from '#runtime/logger.ts';

const run = createDigestRun({ reader: ledgerReader, store: s3EvidenceStore, signer: ledgerSigner });

export const handler = async (event: ScheduledEvent): Promise<DigestRunResult> => {
  const time = new Date(event.time);
  if (Number.isNaN(time.getTime())) throw new Error('the scheduled event has no valid time');
  const result = await run(time, new Date());
  logger.info('ledger digest', { ...result });
  return result;
};

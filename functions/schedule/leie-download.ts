/**
 * The monthly LEIE download, run by an EventBridge schedule before exclusion monitoring: fetches
 * OIG's `UPDATED.csv` from the configured URL and imports it (validated whole first; the month's
 * rows staged, then made active). A rerun of a month already imported from the same file changes
 * nothing; a failure throws, so EventBridge retries and the dead-letter alarm tells someone.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { downloadLeieFile } from '#data/leie-download.ts';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import type { ImportResult } from '#domain/credentialing/leie.ts';
import { logger } from '#runtime/logger.ts';
import { leieImporter } from '#shared/services/credentialing.ts';

export const handler = async (event: ScheduledEvent): Promise<ImportResult> => {
  const now = new Date(event.time);
  if (Number.isNaN(now.getTime())) throw new Error('the scheduled event has no valid time');
  const file = await downloadLeieFile();
  const result = await leieImporter.importFile({ actor: SYSTEM_ACTOR, now, requestId: event.id }, file);
  logger.info('LEIE download imported', { ...result });
  return result;
};

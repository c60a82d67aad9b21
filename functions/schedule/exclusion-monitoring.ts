/**
 * Monthly exclusion monitoring, run by an EventBridge schedule. "Now" is the event's `time`, so
 * the twin's scheduler can fire it for a chosen day; the actor is the system.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import type { MonitoringRun } from '#domain/schemas/credentialing.ts';
import { logger } from '#runtime/logger.ts';
import { exclusionMonitoring as monitoring } from '#shared/services/credentialing.ts';

export const handler = async (event: ScheduledEvent): Promise<MonitoringRun> => {
  const now = new Date(event.time);
  if (Number.isNaN(now.getTime())) throw new Error('the scheduled event has no valid time');
  const run = await monitoring.run({ actor: SYSTEM_ACTOR, now, requestId: event.id });
  const { flaggedStaffIds: _ids, ...counts } = run;
  logger.info('exclusion monitoring done', counts);
  return run;
};

/**
 * The daily recredentialing sweep, run by an EventBridge schedule: warns approved files at 90,
 * 60, 30, 14, 7 and 0 days before recredentialing is due, then when it is overdue. "Now" is the
 * event's `time`, so the twin's scheduler can fire it for a chosen day; the actor is the system.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import type { RecredentialingSweepResult } from '#domain/credentialing/recredentialing.ts';
import { logger } from '#runtime/logger.ts';
import { recredentialingSweep as sweep } from '#shared/services/credentialing.ts';

export const handler = async (event: ScheduledEvent): Promise<RecredentialingSweepResult> => {
  const now = new Date(event.time);
  if (Number.isNaN(now.getTime())) throw new Error('the scheduled event has no valid time');
  const result = await sweep.run({ actor: SYSTEM_ACTOR, now, requestId: event.id });
  logger.info('recredentialing sweep done', { ...result, day: event.time.slice(0, 10) });
  return result;
};

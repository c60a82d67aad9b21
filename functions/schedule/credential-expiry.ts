/**
 * The daily credential expiry sweep, run by an EventBridge schedule. "Now" is the event's `time`
 * (the minute the rule fired), so a delayed or redelivered run sweeps the day it was meant for,
 * and the twin's scheduler can fire it for a chosen day.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import type { SweepResult } from '#domain/schemas/credentials.ts';
import { logger } from '#runtime/logger.ts';
import { expirySweep as sweep } from '#shared/services/credentials.ts';

export const handler = async (event: ScheduledEvent): Promise<SweepResult> => {
  const now = new Date(event.time);
  if (Number.isNaN(now.getTime())) throw new Error('the scheduled event has no valid time');
  const result = await sweep.run({ actor: SYSTEM_ACTOR, now, requestId: event.id });
  logger.info('credential expiry sweep done', { ...result, day: event.time.slice(0, 10) });
  return result;
};

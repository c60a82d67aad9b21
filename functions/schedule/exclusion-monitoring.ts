/**
 * Monthly exclusion monitoring, run by an EventBridge schedule. "Now" is the event's `time`, so
 * the twin's scheduler can fire it for a chosen day; the actor is the system.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { monitoringRunRepository, verificationRepository } from '#data/credentialing.ts';
import { credentialRepository } from '#data/credentials.ts';
import { s3EvidenceStore } from '#data/evidence.ts';
import { exclusionRepository } from '#data/leie.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import { createCheckService } from '#domain/credentialing/checks.ts';
import { createLeieSource } from '#domain/credentialing/leie.ts';
import { createExclusionMonitoring } from '#domain/credentialing/monitoring.ts';
import type { MonitoringRun } from '#domain/schemas/credentialing.ts';
import { logger } from '#runtime/logger.ts';

const monitoring = createExclusionMonitoring({
  profiles: staffProfileRepository,
  checks: createCheckService({
    verifications: verificationRepository,
    profiles: staffProfileRepository,
    credentials: credentialRepository,
    evidence: s3EvidenceStore,
    sources: { leie: createLeieSource(exclusionRepository) },
  }),
  runs: monitoringRunRepository,
});

export const handler = async (event: ScheduledEvent): Promise<MonitoringRun> => {
  const now = new Date(event.time);
  if (Number.isNaN(now.getTime())) throw new Error('the scheduled event has no valid time');
  const run = await monitoring.run({ actor: SYSTEM_ACTOR, now, requestId: event.id });
  const { flaggedStaffIds: _ids, ...counts } = run;
  logger.info('exclusion monitoring done', counts);
  return run;
};

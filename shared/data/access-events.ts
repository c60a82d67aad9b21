/**
 * Access events in Main: one access-log item per entity (shared/data/entities/access-events.ts),
 * rewritten with each event and counting them in `version`. Every rewrite is a stream record, so
 * each event reaches the audit ledger; the count stays in Main after the events have, so verify
 * can tell when the newest access entries of a chain are missing (one short-lived item per event
 * could not).
 */
import type { AccessEventRepository } from '#domain/access-events.ts';
import { accessEventEntity } from './entities/access-events.ts';

export const accessEventRepository: AccessEventRepository = {
  record: async (event) => {
    const { entityType, entityId, id, action, summary, at, lastActor } = event;
    await accessEventEntity.update(
      { entityType, entityId },
      {
        set: { kind: accessEventEntity.kind, entityType, entityId, id, action, summary, at, lastActor },
        increment: ['version'],
      },
    );
  },
};

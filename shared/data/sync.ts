/**
 * Offline sync's change log in Main (shared/data/entities/sync.ts): appended by the notify
 * consumer, read by Query only, one feed at a time.
 */
import type { ChangeLogReader, ChangeLogWriter } from '#domain/sync/ports.ts';
import { putItems } from './batch-write.ts';
import { syncLogEntity } from './entities/sync.ts';

/** BatchWriteItem calls of one append made at once (docs/decisions.md, "Counters and the change log once per batch"). */
const CHANGE_LOG_CALLS_IN_FLIGHT = 1;

export const changeLogRepository: ChangeLogWriter & ChangeLogReader = {
  // Each entry's key is new (a fresh ULID), so a create's condition never refuses one and a
  // batch of unconditional puts is the same write: a stream batch's entries (a message's for its
  // N participants, its counter updates') are one BatchWriteItem per 25, not a Put each, one
  // call at a time. A retried stream record logs again under new keys and readers fold repeats
  // (same id, version).
  append: async (entries) => {
    if (entries.length === 1 && entries[0]) await syncLogEntity.create(entries[0]);
    else if (entries.length > 1)
      await putItems(
        entries.map((entry) => syncLogEntity.item(entry)),
        'change log batch write throttled; the record is retried',
        CHANGE_LOG_CALLS_IN_FLIGHT,
      );
  },

  read: async (feed, { after, before }, limit) => {
    // One more than asked: if it is there (and settled), the feed has more; entries past `before`
    // (too young yet) are dropped here rather than bounded in the key condition, so that a
    // short answer means the feed is read to its end.
    const page = await syncLogEntity.query.primary(
      { feed },
      { where: { after: { seq: after } }, limit: limit + 1 },
    );
    const settled = page.items.filter((entry) => entry.seq < before);
    return { items: settled.slice(0, limit), ...(settled.length > limit ? { next: { more: true } } : {}) };
  },
};

/**
 * Offline sync's change log in Main (shared/data/entities/sync.ts): appended by the notify
 * consumer, read by Query only, one feed at a time.
 */
import type { ChangeLogReader, ChangeLogWriter } from '#domain/sync/ports.ts';
import { syncLogEntity } from './entities/sync.ts';

export const changeLogRepository: ChangeLogWriter & ChangeLogReader = {
  // Each entry's key is new (a fresh ULID), so the create's condition never refuses one; a
  // retried stream record logs again under new keys and readers fold repeats (same id, version).
  append: async (entries) => {
    await Promise.all(entries.map((entry) => syncLogEntity.create(entry)));
  },

  read: async (feed, { after, before }, limit) => {
    // BETWEEN is inclusive: one more item covers the boundary entry `after` names itself.
    const page = await syncLogEntity.query.primary(
      { feed },
      { where: { between: [{ seq: after }, { seq: before }] }, limit: limit + 1 },
    );
    const fresh = page.items.filter((entry) => entry.seq !== after && entry.seq !== before);
    const more = fresh.length > limit || page.next !== undefined;
    return { items: fresh.slice(0, limit), ...(more ? { next: { more: true } } : {}) };
  },
};

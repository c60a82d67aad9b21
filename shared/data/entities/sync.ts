import type { SyncLogEntry } from '#domain/sync/ports.ts';
import { defineEntity } from '../entity.ts';
import { ITEM_KINDS, PREFIX } from '../keys.ts';

/**
 * `SYNC#<feed>` / `CHG#<seq>`: one change of one item in one feed (`USER#<sub>` or
 * `ROLE#<role>`), `seq` a ULID minted when the log was written, so a feed read by Query is in
 * write order and feeds merge by `seq`. Expires by `ttl` (30 days: docs/decisions.md "Offline
 * sync").
 */
export const syncLogEntity = defineEntity<SyncLogEntry>()({
  kind: ITEM_KINDS.syncChange,
  primary: {
    pk: { prefix: PREFIX.syncFeed, fields: ['feed'] },
    sk: { prefix: PREFIX.syncChange, fields: ['seq'] },
  },
});

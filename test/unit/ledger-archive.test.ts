/**
 * The ledger archive against in-memory stores: a day past the retention exported once as gzip
 * JSON Lines with its manifest, read back before any entry is expired, every entry but a chain's
 * newest expired; and the reader that serves archived days where DynamoDB no longer holds them.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { archiveKeyOf, entriesOfArchive, manifestKeyOf, parseManifest } from '#domain/audit/archive.ts';
import { createArchiveRun } from '#domain/audit/archive-run.ts';
import { withArchive } from '#domain/audit/archived-reader.ts';
import { GENESIS_HASH, type LedgerEntry, sealEntry } from '#domain/audit/entry.ts';
import type { LedgerExpirer, LedgerReader } from '#domain/audit/ports.ts';
import type { ListPosition } from '#domain/repository.ts';
import { memoryEvidenceStore } from '../support/memory-evidence-store.ts';

const DAY = '2026-01-10';
const chainOf = (entityId: string, ats: string[]): LedgerEntry[] => {
  let prevHash = GENESIS_HASH;
  return ats.map((at, index) => {
    const entry = sealEntry({
      entityType: 'Contract',
      entityId,
      seq: index + 1,
      action: index === 0 ? 'create' : 'update',
      actor: { userId: 'u1', roles: ['recruiter'] },
      requestId: `r${index}`,
      at,
      summary: `change ${index + 1}`,
      changes: {},
      prevHash,
      eventId: `${entityId}-e${index}`,
      sourceKey: `CONTRACT#${entityId}|CONTRACT#${entityId}`,
      positions: {},
    });
    prevHash = entry.hash;
    return entry;
  });
};

/** A ledger table in memory: entries with their ttl; `reap` deletes the expired, as TTL would. */
const memoryLedger = (entries: LedgerEntry[]) => {
  const rows = new Map(entries.map((entry) => [`${entry.entityId}#${entry.seq}`, { entry, ttl: 0 }]));
  const live = () => [...rows.values()].map((row) => row.entry);
  const newestFirst = (a: LedgerEntry, b: LedgerEntry) =>
    a.at === b.at ? b.seq - a.seq : a.at < b.at ? 1 : -1;
  const reader: LedgerReader = {
    chainPage: async (chain, limit, position?: ListPosition) => {
      const after = typeof position?.after === 'number' ? position.after : 0;
      const items = live()
        .filter((entry) => entry.entityId === chain.entityId && entry.seq > after)
        .sort((a, b) => a.seq - b.seq)
        .slice(0, limit);
      const last = items.at(-1);
      return { items, next: items.length === limit && last ? { after: last.seq } : undefined };
    },
    search: async (query) => ({
      items: live()
        .filter((entry) => entry.at >= (query.from ?? '0') && entry.at <= query.to)
        .filter((entry) => !query.entityId || entry.entityId === query.entityId)
        .sort(newestFirst),
      next: undefined,
    }),
  };
  const expirer: LedgerExpirer = {
    newestSeq: async (chain) =>
      Math.max(
        ...live()
          .filter((entry) => entry.entityId === chain.entityId)
          .map((entry) => entry.seq),
      ),
    expire: async (chain, seq, ttl) => {
      const row = rows.get(`${chain.entityId}#${seq}`);
      if (!row) return false;
      row.ttl = ttl;
      return true;
    },
  };
  const reap = () => {
    for (const [key, row] of rows) if (row.ttl > 0) rows.delete(key);
  };
  return { rows, reader, expirer, reap };
};

const atOn = (day: string, hour: number) => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const runAt = new Date('2026-04-10T04:30:00Z'); // 90 days after DAY

describe('the ledger archive', () => {
  // a: three entries on DAY, one later (its head is live); b: two on DAY, nothing after (dormant).
  const a = chainOf('a', [atOn(DAY, 9), atOn(DAY, 10), atOn(DAY, 11), atOn('2026-03-01', 9)]);
  const b = chainOf('b', [atOn(DAY, 12), atOn(DAY, 13)]);

  it('exports the day, reads it back, and expires all but each chain newest entry', async () => {
    const ledger = memoryLedger([...a, ...b]);
    const store = memoryEvidenceStore();
    const run = createArchiveRun({ ...ledger, store, afterDays: 90 });

    const result = await run(runAt);

    expect(result.days).toEqual([{ day: DAY, entries: 5, expired: 4, written: true }]);
    const manifest = parseManifest(store.objects.get(manifestKeyOf(DAY)) ?? Buffer.alloc(0));
    expect(manifest?.chains).toEqual([
      expect.objectContaining({ entityId: 'a', entries: 3, firstSeq: 1, lastSeq: 3, lastHash: a[2]?.hash }),
      expect.objectContaining({ entityId: 'b', entries: 2, firstSeq: 1, lastSeq: 2, firstHash: b[0]?.hash }),
    ]);
    expect(entriesOfArchive(store.objects.get(archiveKeyOf(DAY)) ?? Buffer.alloc(0))).toHaveLength(5);
    const expired = [...ledger.rows.values()].filter((row) => row.ttl > 0).map((row) => row.entry.eventId);
    expect(expired.sort()).toEqual(['a-e0', 'a-e1', 'a-e2', 'b-e0']);
  });

  it('expires nothing when the stored object is not the export', async () => {
    const ledger = memoryLedger([...a, ...b]);
    const store = memoryEvidenceStore();
    store.objects.set(archiveKeyOf(DAY), gzipSync(Buffer.from('{}\n')));
    const run = createArchiveRun({ ...ledger, store, afterDays: 90 });

    await expect(run(runAt)).rejects.toThrow(/not the export/);

    expect([...ledger.rows.values()].every((row) => row.ttl === 0)).toBe(true);
    expect(store.objects.has(manifestKeyOf(DAY))).toBe(false);
  });

  it('a second run finds the day done and writes nothing', async () => {
    const ledger = memoryLedger([...a, ...b]);
    const store = memoryEvidenceStore();
    const run = createArchiveRun({ ...ledger, store, afterDays: 90 });
    await run(runAt);
    const keys = [...store.objects.keys()];

    const again = await run(runAt);

    expect(again.days).toEqual([]);
    expect([...store.objects.keys()]).toEqual(keys);
  });

  it('serves expired entries from the archive once TTL has deleted them: chains and searches', async () => {
    const ledger = memoryLedger([...a, ...b]);
    const store = memoryEvidenceStore();
    await createArchiveRun({ ...ledger, store, afterDays: 90 })(runAt);
    ledger.reap();
    const reader = withArchive(ledger.reader, store);

    const first = await reader.chainPage({ entityType: 'Contract', entityId: 'a' }, 2);
    const second = await reader.chainPage({ entityType: 'Contract', entityId: 'a' }, 2, first.next);
    const dormant = await reader.chainPage({ entityType: 'Contract', entityId: 'b' }, 10);
    const search = await reader.search(
      { entityType: 'Contract', entityId: 'a', to: '2026-04-11T00:00:00Z' },
      10,
    );
    const older = search.next
      ? await reader.search(
          { entityType: 'Contract', entityId: 'a', to: '2026-04-11T00:00:00Z' },
          10,
          search.next,
        )
      : undefined;

    expect([...first.items, ...second.items].map((entry) => entry.hash)).toEqual(
      a.map((entry) => entry.hash),
    );
    expect(dormant.items.map((entry) => entry.seq)).toEqual([1, 2]);
    expect(search.items.map((entry) => entry.seq)).toEqual([4]);
    expect(older?.items.map((entry) => entry.seq)).toEqual([3, 2, 1]);
  });
});

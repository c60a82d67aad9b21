import { describe, expect, it } from 'vitest';
import { Gone } from '#domain/errors.ts';
import type { Role } from '#domain/roles.ts';
import { createSyncService, feedsOfActor, positionAt } from '#domain/sync/service.ts';
import type { SnapshotSource } from '#domain/sync/snapshot.ts';
import { rejectionOf } from './support/rejection.ts';
import {
  contextOf,
  entry,
  logOf,
  minutesAgo,
  NOW,
  noneReadable,
  seqAt,
  since,
  viewOf,
} from './support/sync-fakes.ts';

describe('offline sync', () => {
  it("merges the caller's own feed and their roles' feeds, oldest first, the latest change per item once", async () => {
    // Prepare
    const log = logOf([
      entry('USER#nia', seqAt(minutesAgo(9), 1), { id: 'C1', version: 2 }),
      entry('ROLE#recruiter', seqAt(minutesAgo(8), 2), { id: 'C2', version: 5 }),
      entry('USER#nia', seqAt(minutesAgo(7), 3), { id: 'M1', entityType: 'Message', conversationId: 'V1' }),
      entry('USER#nia', seqAt(minutesAgo(6), 4), { id: 'C1', version: 3 }),
      entry('USER#rex', seqAt(minutesAgo(6), 5), { id: 'C9' }),
    ]);
    const service = createSyncService({
      log,
      views: viewOf({ C1: { version: 3 }, C2: { version: 5 }, M1: { version: 1 } }),
      readable: noneReadable,
      snapshot: [],
    });

    // Act
    const page = await service.sync(contextOf('nia', ['staff', 'recruiter']), {
      position: since(10, ['USER#nia', 'ROLE#recruiter']),
      limit: 10,
    });

    // Assess
    expect(page.changes.map(({ id, op, version }) => [id, op, version])).toEqual([
      ['C2', 'upsert', 5],
      ['M1', 'upsert', 1],
      ['C1', 'upsert', 3],
    ]);
    expect(page.changes[0]?.data).toEqual({ id: 'C2', version: 5 });
    expect(page.hasMore).toBe(false);
    expect(page.next.feeds).toEqual(['USER#nia', 'ROLE#recruiter']);
  });

  it('turns a change the caller may no longer see into a tombstone', async () => {
    // Prepare: C2 changed in nia's own feed while she could see it; it is hidden from her now.
    const entries = [entry('USER#nia', seqAt(minutesAgo(5), 1), { id: 'C2', version: 4 })];
    const service = createSyncService({
      log: logOf(entries),
      views: viewOf({}),
      readable: noneReadable,
      snapshot: [],
    });

    // Act
    const page = await service.sync(contextOf('nia', ['staff']), {
      position: since(10, ['USER#nia']),
      limit: 10,
    });

    // Assess
    expect(page.changes).toEqual([
      { entityType: 'Contract', id: 'C2', op: 'delete', version: 4, at: '2026-03-10T11:00:00.000Z' },
    ]);
    expect(page.next.feeds).toEqual(['USER#nia']);
  });

  it('pages by limit and continues after the last change it handed out', async () => {
    // Prepare
    const entries = [1, 2, 3].map((n) => entry('USER#nia', seqAt(minutesAgo(5), n), { id: `C${n}` }));
    const service = createSyncService({
      log: logOf(entries),
      views: viewOf({ C1: { version: 1 }, C2: { version: 1 }, C3: { version: 1 } }),
      readable: noneReadable,
      snapshot: [],
    });
    const context = contextOf('nia', ['staff']);

    // Act
    const first = await service.sync(context, { position: since(10, []), limit: 2 });
    const second = await service.sync(context, { position: first.next, limit: 2 });

    // Assess
    expect([first.changes.map((c) => c.id), first.hasMore]).toEqual([['C1', 'C2'], true]);
    expect([second.changes.map((c) => c.id), second.hasMore]).toEqual([['C3'], false]);
  });

  it('leaves changes younger than the settle time for the next sync, and moves an idle cursor forward', async () => {
    // Prepare
    const service = createSyncService({
      log: logOf([entry('USER#nia', seqAt(NOW.getTime() - 100, 1), { id: 'C1' })]),
      views: viewOf({ C1: { version: 1 } }),
      readable: noneReadable,
      snapshot: [],
    });

    // Act
    const page = await service.sync(contextOf('nia', ['staff']), { position: since(10, []), limit: 10 });

    // Assess
    expect(page.changes).toEqual([]);
    expect(page.next.after > positionAt(minutesAgo(1))).toBe(true);
  });

  it('answers 410 for a cursor older than the log keeps', async () => {
    // Prepare
    const service = createSyncService({
      log: logOf([]),
      views: viewOf({}),
      readable: noneReadable,
      snapshot: [],
    });

    // Act
    const error = await rejectionOf(
      service.sync(contextOf('nia', ['staff']), { position: since(31 * 24 * 60, []), limit: 10 }),
    );

    // Assess
    expect(error).toBeInstanceOf(Gone);
  });

  it('snapshots source after source, then hands over to the log where the snapshot began', async () => {
    // Prepare
    const sources: SnapshotSource[] = [
      {
        entityType: 'StaffProfile',
        list: async () => ({ items: [{ id: 'S1', version: 2, updatedAt: '2026-03-01T00:00:00.000Z' }] }),
      },
      {
        entityType: 'Contract',
        list: async (_context, page) =>
          page.position
            ? { items: [{ id: 'C2', version: 1 }] }
            : { items: [{ id: 'C1', version: 1 }], next: { id: 'C1' } },
      },
    ];
    const service = createSyncService({
      log: logOf([]),
      views: viewOf({}),
      readable: noneReadable,
      snapshot: sources,
    });
    const context = contextOf('nia', ['staff']);

    // Act
    const pages = [await service.sync(context, { limit: 10 })];
    for (let n = 0; n < 3; n += 1)
      pages.push(await service.sync(context, { position: pages.at(-1)?.next, limit: 10 }));

    // Assess
    expect(pages.map((page) => page.changes.map((c) => `${c.entityType}:${c.id}`))).toEqual([
      ['StaffProfile:S1'],
      ['Contract:C1'],
      ['Contract:C2'],
      [],
    ]);
    expect(pages[2]?.next).toEqual({ after: positionAt(NOW.getTime() - 1000), feeds: ['USER#nia'] });
    expect(pages[3]?.hasMore).toBe(false);
  });

  it('gives roles a feed only where they read every item of a kind', () => {
    // Act
    const feeds = (roles: Role[]) => feedsOfActor({ userId: 'u', roles });

    // Assess
    expect(feeds(['staff'])).toEqual(['USER#u']);
    expect(feeds(['admin', 'credentialing'])).toEqual(['USER#u', 'ROLE#admin', 'ROLE#credentialing']);
  });
});

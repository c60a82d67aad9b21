import { describe, expect, it } from 'vitest';
import type { ServiceContext } from '#domain/context.ts';
import { Gone } from '#domain/errors.ts';
import type { Role } from '#domain/roles.ts';
import type { ReadableItems } from '#domain/sync/ports.ts';
import { createSyncService, type SyncPage, type SyncPosition } from '#domain/sync/service.ts';
import type { SnapshotSource } from '#domain/sync/snapshot.ts';
import { rejectionOf } from './support/rejection.ts';
import { contextOf, entry, logOf, minutesAgo, seqAt, since, viewOf } from './support/sync-fakes.ts';

/** Whose each contract is: nia's own, and rex's (another nurse's). */
const OWNERS: Record<string, string> = { 'C-HERS': 'nia', 'C-THEIRS': 'rex', 'C-OLD': 'rex' };

/** Contracts as the list shows them to the actor: every one to a recruiter, their own to staff. */
const contracts: SnapshotSource = {
  entityType: 'Contract',
  list: async (context, page) => {
    const all = ['C-HERS', 'C-THEIRS', 'C-OLD'].filter(
      (id) => context.actor.roles.includes('recruiter') || OWNERS[id] === context.actor.userId,
    );
    // One contract a page, to show the delta pages by `limit` (here 1) and resumes mid-list.
    const index = (page.position?.index as number | undefined) ?? 0;
    const next = index + 1 < all.length ? { next: { index: index + 1 } } : {};
    return { items: all[index] ? [{ id: all[index], version: 2 }] : [], ...next };
  },
};
// Conversations list the same whatever the role: never part of a role's delta.
const conversations: SnapshotSource = {
  entityType: 'Conversation',
  list: async () => ({ items: [{ id: 'V1' }] }),
};

/** What the caller may read now (the policy on each stored item), noting who asked. */
const readableAs =
  (asked: (readonly Role[])[]): ReadableItems =>
  async (context: ServiceContext, _type, ids) => {
    asked.push(context.actor.roles);
    return new Set(
      ids.filter((id) => context.actor.roles.includes('recruiter') || OWNERS[id] === context.actor.userId),
    );
  };

const drain = async (
  service: ReturnType<typeof createSyncService>,
  context: ServiceContext,
  from: SyncPosition,
) => {
  const pages: SyncPage[] = [await service.sync(context, { position: from, limit: 1 })];
  for (let guard = 0; pages.at(-1)?.hasMore && guard < 20; guard += 1) {
    pages.push(await service.sync(context, { position: pages.at(-1)?.next, limit: 1 }));
  }
  return pages;
};

const story = (pages: SyncPage[]) => pages.flatMap((page) => page.changes.map((c) => `${c.op}:${c.id}`));

describe('offline sync after a role change', () => {
  it('tombstones what a lost role showed and she may not read, then brings the log in order', async () => {
    // Prepare: while she was offline, rex's contract changed (recruiters' feed), a message came,
    // an old contract was deleted, and hers changed; then she lost the recruiter role.
    const log = logOf([
      entry('ROLE#recruiter', seqAt(minutesAgo(9), 1), { id: 'C-THEIRS', version: 2 }),
      entry('USER#nia', seqAt(minutesAgo(8), 2), { id: 'M1', entityType: 'Message', conversationId: 'V1' }),
      entry('ROLE#recruiter', seqAt(minutesAgo(7), 3), { id: 'C-GONE', op: 'delete', version: 3 }),
      entry('USER#nia', seqAt(minutesAgo(6), 4), { id: 'C-HERS', version: 2 }),
      entry('ROLE#recruiter', seqAt(minutesAgo(6), 5), { id: 'C-HERS', version: 2 }),
    ]);
    const asked: (readonly Role[])[] = [];
    const service = createSyncService({
      log,
      views: viewOf({ 'C-HERS': { version: 2 }, M1: { version: 1 } }),
      readable: readableAs(asked),
      snapshot: [contracts, conversations],
    });

    // Act
    const pages = await drain(
      service,
      contextOf('nia', ['staff']),
      since(10, ['USER#nia', 'ROLE#recruiter']),
    );

    // Assess: the delta first (rex's two contracts, one a page), then the log oldest first, in
    // which the lost feed brings its deletion only.
    expect(story(pages)).toEqual([
      'delete:C-THEIRS',
      'delete:C-OLD',
      'upsert:M1',
      'delete:C-GONE',
      'upsert:C-HERS',
    ]);
    expect(asked.every((roles) => roles.join() === 'staff')).toBe(true);
    expect(pages.at(-1)?.hasMore).toBe(false);
    expect(pages.at(-1)?.next).toMatchObject({ feeds: ['USER#nia'], retired: { feeds: ['ROLE#recruiter'] } });
    expect(pages.at(-1)?.next).not.toHaveProperty('delta');
  });

  it("brings a gained role's view as it is now, then the log", async () => {
    // Prepare
    const log = logOf([entry('USER#nia', seqAt(minutesAgo(8), 1), { id: 'C-HERS', version: 2 })]);
    const service = createSyncService({
      log,
      views: viewOf({ 'C-HERS': { version: 2 }, 'C-THEIRS': { version: 2 } }),
      readable: readableAs([]),
      snapshot: [contracts, conversations],
    });

    // Act
    const pages = await drain(service, contextOf('nia', ['staff', 'recruiter']), since(10, ['USER#nia']));

    // Assess
    expect(story(pages)).toEqual(['upsert:C-HERS', 'upsert:C-THEIRS', 'upsert:C-OLD', 'upsert:C-HERS']);
    expect(pages[1]?.changes[0]).toMatchObject({
      entityType: 'Contract',
      data: { id: 'C-THEIRS', version: 2 },
    });
    expect(pages.at(-1)?.next).toEqual(expect.objectContaining({ feeds: ['USER#nia', 'ROLE#recruiter'] }));
    expect(pages.at(-1)?.next).not.toHaveProperty('retired');
  });

  it('lists nothing for a kind she still reads whole through another role', async () => {
    // Prepare: she was recruiter and admin, and stays admin (who reads every contract).
    const asked: (readonly Role[])[] = [];
    const service = createSyncService({
      log: logOf([]),
      views: viewOf({}),
      readable: readableAs(asked),
      snapshot: [contracts, conversations],
    });

    // Act
    const pages = await drain(
      service,
      contextOf('nia', ['admin']),
      since(10, ['USER#nia', 'ROLE#admin', 'ROLE#recruiter']),
    );

    // Assess
    expect(story(pages)).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('finishes a snapshot begun before the change, then settles the change', async () => {
    // Prepare: the snapshot began while she was a recruiter.
    const service = createSyncService({
      log: logOf([]),
      views: viewOf({}),
      readable: readableAs([]),
      snapshot: [contracts, conversations],
    });
    const position: SyncPosition = {
      ...since(1, ['USER#nia', 'ROLE#recruiter']),
      snapshot: { phase: 1 },
    };

    // Act
    const pages = await drain(service, contextOf('nia', ['staff']), position);

    // Assess
    expect(story(pages)).toEqual(['upsert:V1', 'delete:C-THEIRS', 'delete:C-OLD']);
  });

  it.each([
    [
      'its roles changed again during the delta',
      { ...since(10, ['USER#nia', 'ROLE#recruiter']), delta: { was: [], phase: 0 } },
      /changed again/,
    ],
    [
      'it is of an earlier release and reads a lost role',
      { ...since(10, ['USER#nia']), lost: { 'ROLE#recruiter': 1 } },
      /earlier release/,
    ],
    ['it is older than the log keeps', since(31 * 24 * 60, ['USER#nia', 'ROLE#recruiter']), /older than/],
  ] satisfies Array<[string, SyncPosition, RegExp]>)(
    'answers 410 when %s',
    async (_case, position, message) => {
      // Prepare
      const service = createSyncService({
        log: logOf([]),
        views: viewOf({}),
        readable: readableAs([]),
        snapshot: [contracts],
      });

      // Act
      const rejection = await rejectionOf(service.sync(contextOf('nia', ['staff']), { position, limit: 10 }));

      // Assess
      expect(rejection).toBeInstanceOf(Gone);
      expect((rejection as Gone).message).toMatch(message);
    },
  );
});

/**
 * GET /sync: the caller's changes since a cursor, oldest first, from their change-log feeds
 * (their own, and each of their roles'), each re-checked against the caller as they are now:
 * `data` is what the REST route shows them (the services' own reads, views and audited reads),
 * and a change they may no longer see is a tombstone. Without a cursor, a snapshot of what
 * they may see (shared/domain/sync/snapshot.ts) that ends at the log position taken when it began.
 * A cursor made before the caller's roles changed brings the change's delta first
 * (shared/domain/sync/role-delta.ts), then the log.
 */
import { decodeTime, encodeTime } from 'ulid';
import type { ServiceContext } from '../context.ts';
import { Gone } from '../errors.ts';
import type { ListPosition } from '../page.ts';
import type { Actor } from '../policy.ts';
import type { Role } from '../roles.ts';
import { SYNC_RETENTION_MS } from './change-log.ts';
import { rolesSeeing } from './fan-out.ts';
import {
  type ChangeLogReader,
  type Feed,
  type ItemViews,
  itemKey,
  type LoggedChange,
  type ReadableItems,
  type SyncLogEntry,
} from './ports.ts';
import {
  deltaPage,
  deltaSteps,
  RETIRED_FEED_MS,
  type RetiredFeeds,
  type RoleDeltaPosition,
  roleFeedsOf,
} from './role-delta.ts';
import { type SnapshotSource, snapshotPage } from './snapshot.ts';

/**
 * Entries younger than this are left for the next sync: concurrent writers commit a few
 * milliseconds after minting their `seq`, so a later read could otherwise find one behind the cursor.
 */
export const SYNC_SETTLE_MS = 1000;

export interface SyncChange {
  entityType: LoggedChange['entityType'];
  id: string;
  op: 'upsert' | 'delete';
  version: number;
  at: string;
  data?: unknown;
}

/**
 * Where a client is: after `seq` in these feeds, or inside a snapshot that began at `after`, or
 * inside the delta of a role change (then `feeds` are the caller's now, `delta.was` the earlier).
 */
export interface SyncPosition {
  after: string;
  feeds: string[];
  /** Cursors of an earlier release: feeds of roles the caller had lost (answered 410). */
  lost?: Record<string, number>;
  snapshot?: { phase: number; position?: ListPosition };
  delta?: RoleDeltaPosition;
  retired?: RetiredFeeds;
}

export interface SyncPage {
  changes: SyncChange[];
  next: SyncPosition;
  hasMore: boolean;
}

export interface SyncPorts {
  log: ChangeLogReader;
  views: ItemViews;
  readable: ReadableItems;
  snapshot: readonly SnapshotSource[];
}

/** Roles with a feed of their own: those that read some kind of item whoever owns it. */
const ROLE_FEEDS: ReadonlySet<Role> = new Set(
  (['StaffProfile', 'Credential', 'Contract', 'Appointment'] as const).flatMap((type) =>
    rolesSeeing({ type, ownerUserId: 'any-owner' }),
  ),
);

export const feedsOfActor = (actor: Actor): Feed[] => [
  `USER#${actor.userId}`,
  ...actor.roles.filter((role) => ROLE_FEEDS.has(role)).map((role): Feed => `ROLE#${role}`),
];

/** The position just before every entry written at or after `time` (a ULID with no randomness). */
export const positionAt = (time: number): string => `${encodeTime(time)}${'0'.repeat(16)}`;

const sameRoleFeeds = (a: readonly string[], b: readonly string[]): boolean =>
  roleFeedsOf(a).join() === roleFeedsOf(b).join();

const rolesChanged = (message: string) =>
  new Gone(`${message}: sync again without \`since\` (a full snapshot)`);

/** The latest entry per item: one read per item, and the client lands on its latest state. */
const latestPerItem = (entries: readonly SyncLogEntry[]): SyncLogEntry[] => {
  const latest = new Map<string, SyncLogEntry>();
  for (const entry of entries) {
    const key = `${entry.entityType}#${entry.id}`;
    latest.delete(key);
    latest.set(key, entry);
  }
  return [...latest.values()];
};

const tombstone = (entry: LoggedChange): SyncChange => ({
  entityType: entry.entityType,
  id: entry.id,
  op: 'delete',
  version: entry.version,
  at: entry.at,
});

const versionOf = (data: unknown, fallback: number): number =>
  typeof data === 'object' && data !== null && 'version' in data && typeof data.version === 'number'
    ? data.version
    : fallback;

export const createSyncService = (ports: SyncPorts) => {
  /** A page's entries as the caller sees them now: the item, or a tombstone when gone or out of sight. */
  const resolve = async (
    context: ServiceContext,
    entries: readonly SyncLogEntry[],
  ): Promise<SyncChange[]> => {
    const shown = await ports.views(
      context,
      entries.filter((entry) => entry.op === 'upsert'),
    );
    return entries.map((entry): SyncChange => {
      const data = entry.op === 'upsert' ? shown.get(itemKey(entry)) : undefined;
      if (data === undefined) return tombstone(entry);
      const { entityType, id, at } = entry;
      return { entityType, id, op: 'upsert', version: versionOf(data, entry.version), at, data };
    });
  };

  const changesSince = async (
    context: ServiceContext,
    from: SyncPosition,
    limit: number,
  ): Promise<SyncPage> => {
    const feeds = feedsOfActor(context.actor);
    const before = positionAt(context.now.getTime() - SYNC_SETTLE_MS);
    const retired = from.retired && from.after < from.retired.until ? from.retired : undefined;
    const retiredFeeds = new Set(retired?.feeds.filter((feed) => !feeds.includes(feed as Feed)));
    const bound = retired && retired.until < before ? retired.until : before;
    const pages = await Promise.all([
      ...feeds.map((feed) => ports.log.read(feed, { after: from.after, before }, limit)),
      ...[...retiredFeeds].map((feed) => ports.log.read(feed, { after: from.after, before: bound }, limit)),
    ]);
    const merged = pages
      .flatMap((page) => page.items)
      .sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    const taken = merged.slice(0, limit);
    const hasMore = merged.length > limit || pages.some((page) => page.next !== undefined);
    const last = taken.at(-1)?.seq;
    // Read to the end: the next sync starts at the settle bound, so an idle cursor stays fresh.
    const after = hasMore ? (last ?? from.after) : last !== undefined && last > before ? last : before;
    // A lost role's feed brings its deletions only: the delta tombstoned what it still listed.
    const kept = taken.filter((entry) => entry.op === 'delete' || !retiredFeeds.has(entry.feed));
    const changes = await resolve(context, latestPerItem(kept));
    const stillRetired = retired && after < retired.until ? { retired } : {};
    return { changes, next: { after, feeds, ...stillRetired }, hasMore };
  };

  /** A page of a role change's delta (shared/domain/sync/role-delta.ts); `at.feeds` are the caller's now. */
  const rolePage = async (
    context: ServiceContext,
    at: SyncPosition,
    delta: RoleDeltaPosition,
    limit: number,
  ): Promise<SyncPage> => {
    const steps = deltaSteps(ports.snapshot, delta.was, at.feeds);
    const { changes, next } = await deltaPage(steps, ports.readable, context, delta, limit);
    const { after, feeds } = at;
    if (next)
      return {
        changes,
        next: { after, feeds, delta: next, ...(at.retired ? { retired: at.retired } : {}) },
        hasMore: true,
      };
    // Done: the log goes on from the cursor's position, with the lost roles' feeds for their deletions.
    const lost = [...(at.retired?.feeds ?? []), ...roleFeedsOf(delta.was)].filter(
      (feed) => !feeds.includes(feed),
    );
    const retired: RetiredFeeds = {
      feeds: [...new Set(lost)].sort(),
      until: positionAt(context.now.getTime() + RETIRED_FEED_MS),
    };
    return { changes, next: { after, feeds, ...(lost.length > 0 ? { retired } : {}) }, hasMore: true };
  };

  return {
    sync: async (
      context: ServiceContext,
      input: { position?: SyncPosition; limit: number },
    ): Promise<SyncPage> => {
      const now = context.now.getTime();
      const feeds = feedsOfActor(context.actor);
      const at: SyncPosition = input.position ?? {
        after: positionAt(now - SYNC_SETTLE_MS),
        feeds,
        snapshot: { phase: 0 },
      };
      if (Object.keys(at.lost ?? {}).length > 0) {
        throw rolesChanged('This cursor is of an earlier release and read a role you no longer hold');
      }
      // A snapshot lists what the caller may see as they are; a role change meanwhile is
      // settled by the delta when it hands over to the log.
      if (at.snapshot)
        return snapshotPage(ports.snapshot, context, { ...at, snapshot: at.snapshot }, input.limit);
      if (decodeTime(at.after) < now - SYNC_RETENTION_MS) {
        throw new Gone(
          'This cursor is older than the change log keeps: sync again without `since` (a full snapshot)',
        );
      }
      if (at.delta) {
        if (!sameRoleFeeds(at.feeds, feeds)) {
          throw rolesChanged(
            'Your roles changed again before this cursor had brought what the previous change did',
          );
        }
        return rolePage(context, at, at.delta, input.limit);
      }
      if (!sameRoleFeeds(at.feeds, feeds)) {
        return rolePage(context, { ...at, feeds }, { was: roleFeedsOf(at.feeds), phase: 0 }, input.limit);
      }
      return changesSince(context, at, input.limit);
    },
  };
};

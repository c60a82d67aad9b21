/**
 * GET /sync: the caller's changes since a cursor, oldest first, from their change-log feeds
 * (their own, and each of their roles'), each re-checked against the caller as they are now:
 * `data` is what the REST route shows them (the services' own reads, views and audited reads),
 * and a change they may no longer see is a tombstone. Without a cursor, a snapshot of what
 * they may see (shared/domain/sync/snapshot.ts) that ends at the log position taken when it began.
 */
import { decodeTime, encodeTime } from 'ulid';
import type { ServiceContext } from '../context.ts';
import { Forbidden, Gone, NotFound } from '../errors.ts';
import type { ListPosition } from '../page.ts';
import type { Actor } from '../policy.ts';
import type { Role } from '../roles.ts';
import { SYNC_RETENTION_MS } from './change-log.ts';
import { rolesSeeing } from './fan-out.ts';
import type { ChangeLogReader, Feed, ItemView, LoggedChange, SyncLogEntry } from './ports.ts';
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

/** Where a client is: after `seq` in these feeds, or inside a snapshot that began at `after`. */
export interface SyncPosition {
  after: string;
  feeds: string[];
  /** Cursors of an earlier release: feeds of roles the caller had lost (now answered 410). */
  lost?: Record<string, number>;
  snapshot?: { phase: number; position?: ListPosition };
}

export interface SyncPage {
  changes: SyncChange[];
  next: SyncPosition;
  hasMore: boolean;
}

export interface SyncPorts {
  log: ChangeLogReader;
  view: ItemView;
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

/**
 * Whether the cursor was made for the feeds the caller reads now. A role lost or gained since
 * changes what the client may keep: items seen only through a lost role that did not change
 * since would never get a tombstone, and items of a gained role that did not change would never
 * come. Neither can be answered from the log, so the client starts over (docs/decisions.md
 * "Offline sync after a role change"). A cursor of an earlier release that still reads a lost
 * role (`lost`) is refused likewise: its client may hold such items.
 */
const sameRoleFeeds = (from: SyncPosition, current: readonly string[]): boolean => {
  const roleFeeds = (feeds: readonly string[]) =>
    feeds
      .filter((feed) => feed.startsWith('ROLE#'))
      .sort()
      .join();
  return Object.keys(from.lost ?? {}).length === 0 && roleFeeds(from.feeds) === roleFeeds(current);
};

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
  /** An entry as the caller sees it now: the item, or a tombstone when gone or out of sight. */
  const resolve = async (context: ServiceContext, entry: SyncLogEntry): Promise<SyncChange> => {
    if (entry.op === 'delete') return tombstone(entry);
    try {
      const data = await ports.view(context, entry);
      const { entityType, id, at } = entry;
      return { entityType, id, op: 'upsert', version: versionOf(data, entry.version), at, data };
    } catch (error) {
      if (error instanceof NotFound || error instanceof Forbidden) return tombstone(entry);
      throw error;
    }
  };

  const changesSince = async (
    context: ServiceContext,
    from: SyncPosition,
    limit: number,
  ): Promise<SyncPage> => {
    const now = context.now.getTime();
    if (decodeTime(from.after) < now - SYNC_RETENTION_MS) {
      throw new Gone(
        'This cursor is older than the change log keeps: sync again without `since` (a full snapshot)',
      );
    }
    const feeds = feedsOfActor(context.actor);
    const before = positionAt(now - SYNC_SETTLE_MS);
    const pages = await Promise.all(
      feeds.map((feed) => ports.log.read(feed, { after: from.after, before }, limit)),
    );
    const merged = pages
      .flatMap((page) => page.items)
      .sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    const taken = merged.slice(0, limit);
    const hasMore = merged.length > limit || pages.some((page) => page.next !== undefined);
    const last = taken.at(-1)?.seq;
    // Read to the end: the next sync starts at the settle bound, so an idle cursor stays fresh.
    const after = hasMore ? (last ?? from.after) : last !== undefined && last > before ? last : before;
    const changes = await Promise.all(latestPerItem(taken).map((entry) => resolve(context, entry)));
    return { changes, next: { after, feeds }, hasMore };
  };

  return {
    sync: async (
      context: ServiceContext,
      input: { position?: SyncPosition; limit: number },
    ): Promise<SyncPage> => {
      const start: SyncPosition = input.position ?? {
        after: positionAt(context.now.getTime() - SYNC_SETTLE_MS),
        feeds: feedsOfActor(context.actor),
        snapshot: { phase: 0 },
      };
      if (!sameRoleFeeds(start, feedsOfActor(context.actor))) {
        throw new Gone(
          'Your roles changed since this cursor, and with them what you may keep: sync again without `since` (a full snapshot)',
        );
      }
      if (!start.snapshot) return changesSince(context, start, input.limit);
      return snapshotPage(ports.snapshot, context, start as Required<SyncPosition>, input.limit);
    },
  };
};

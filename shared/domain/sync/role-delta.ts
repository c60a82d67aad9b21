/**
 * After a role change, a cursor keeps working: before the change log goes on, the client gets
 * the difference the change makes to what it may keep (docs/decisions.md "Offline sync after a
 * role change"):
 *  1. a tombstone for every item of a lost role's view the caller may no longer read (the lost
 *     role's snapshot lists, each item re-checked against the policy with the caller's roles
 *     now; items still theirs or readable another way stay);
 *  2. every item of a gained role's view, as it is now (that role's snapshot lists);
 *  3. then the log from the cursor's position, oldest first, where the deletions logged in a
 *     lost role's feed until shortly after the delta also come as tombstones (an item deleted
 *     before the lists reached it is in no list).
 * Every step is paged with the request's `limit`; the cursor says where in the delta it is.
 */
import type { ServiceContext } from '../context.ts';
import type { ListPosition } from '../page.ts';
import type { Role } from '../roles.ts';
import { rolesSeeing } from './fan-out.ts';
import type { OwnedEntityType, ReadableItems } from './ports.ts';
import type { SyncChange } from './service.ts';
import { type SnapshotItem, type SnapshotSource, upsertOf } from './snapshot.ts';

/** Where a cursor stands in a role delta: the role feeds it was made under, the step, the list position. */
export interface RoleDeltaPosition {
  was: string[];
  phase: number;
  position?: ListPosition;
}

/** Feeds of roles the caller lost, read for their deletions until `until` (a log position). */
export interface RetiredFeeds {
  feeds: string[];
  until: string;
}

/**
 * How long after the delta a lost role's feed is still read for deletions: longer than the
 * stream's lag, so a deletion committed while the lists were read is logged before it.
 */
export const RETIRED_FEED_MS = 5 * 60 * 1000;

const OWNED: readonly OwnedEntityType[] = ['StaffProfile', 'Credential', 'Contract', 'Appointment'];

export const roleFeedsOf = (feeds: readonly string[]): string[] =>
  feeds.filter((feed) => feed.startsWith('ROLE#')).sort();

const rolesOf = (feeds: readonly string[]) =>
  roleFeedsOf(feeds).map((feed) => feed.slice('ROLE#'.length) as Role);

interface Step {
  source: SnapshotSource;
  /** Tombstones of what these roles showed; absent: upserts of a gained role's view. */
  lost?: Role[];
}

const ownedType = (source: SnapshotSource): OwnedEntityType | undefined =>
  OWNED.find((type) => type === source.entityType);

/** The delta's steps: each lost role's lists (tombstones), then each gained role's (upserts). */
export const deltaSteps = (
  sources: readonly SnapshotSource[],
  was: readonly string[],
  now: readonly string[],
): Step[] => {
  const before = rolesOf(was);
  const after = rolesOf(now);
  const lost = before.filter((role) => !after.includes(role));
  const gained = after.filter((role) => !before.includes(role));
  const readAll = (roles: readonly Role[], source: SnapshotSource) => {
    const type = ownedType(source);
    return (
      type !== undefined &&
      rolesSeeing({ type, ownerUserId: 'any-owner' }).some((role) => roles.includes(role))
    );
  };
  // A kind the caller still reads whole loses nothing; one they read whole already gains nothing.
  return [
    ...sources
      .filter((source) => readAll(lost, source) && !readAll(after, source))
      .map((source): Step => ({ source, lost })),
    ...sources
      .filter((source) => readAll(gained, source) && !readAll(before, source))
      .map((source): Step => ({ source })),
  ];
};

const tombstoneOf = (entityType: OwnedEntityType, item: SnapshotItem, now: Date): SyncChange => {
  const { data: _data, ...change } = upsertOf(entityType, item, now);
  return { ...change, op: 'delete' };
};

/** One page of a delta step: its changes and where the delta goes on (undefined: it is done). */
export const deltaPage = async (
  steps: readonly Step[],
  readable: ReadableItems,
  context: ServiceContext,
  at: RoleDeltaPosition,
  limit: number,
) => {
  const step = steps[at.phase];
  if (!step) return { changes: [], next: undefined };
  // A lost role's lists, read as that role: only ids are kept, and each is checked as the caller is now.
  const listedAs = step.lost ? { ...context, actor: { ...context.actor, roles: step.lost } } : context;
  const page = await step.source.list(listedAs, { limit, ...(at.position ? { position: at.position } : {}) });
  const type = ownedType(step.source) ?? 'StaffProfile';
  let changes: SyncChange[] = page.items.map((item) => upsertOf(type, item, context.now));
  if (step.lost) {
    const still = await readable(
      context,
      type,
      page.items.map((item) => item.id),
    );
    changes = page.items
      .filter((item) => !still.has(item.id))
      .map((item) => tombstoneOf(type, item, context.now));
  }
  const following: RoleDeltaPosition =
    page.next === undefined
      ? { was: at.was, phase: at.phase + 1 }
      : { was: at.was, phase: at.phase, position: page.next };
  return { changes, next: steps[following.phase] ? following : undefined };
};

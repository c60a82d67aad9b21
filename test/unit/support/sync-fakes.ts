/** Offline sync's ports in memory, for the sync service's tests. */
import { encodeTime } from 'ulid';
import type { ServiceContext } from '#domain/context.ts';
import type { Role } from '#domain/roles.ts';
import { type ChangeLogReader, itemKey, type LoggedChange, type SyncLogEntry } from '#domain/sync/ports.ts';
import { positionAt, type SyncPosition } from '#domain/sync/service.ts';

export const NOW = new Date('2026-03-10T12:00:00.000Z');
export const minutesAgo = (minutes: number) => NOW.getTime() - minutes * 60_000;
export const seqAt = (time: number, n: number) => `${encodeTime(time)}${String(n).padStart(16, '0')}`;

export const contextOf = (userId: string, roles: Role[]): ServiceContext => ({
  actor: { userId, roles },
  now: NOW,
  requestId: 'r1',
});

export const entry = (
  feed: string,
  seq: string,
  change: Partial<LoggedChange> & { id: string },
): SyncLogEntry => ({
  feed,
  seq,
  entityType: 'Contract',
  op: 'upsert',
  version: 1,
  at: '2026-03-10T11:00:00.000Z',
  ttl: 0,
  ...change,
});

/** The log in memory: each feed's entries between the bounds, in seq order. */
export const logOf = (entries: SyncLogEntry[]): ChangeLogReader => ({
  read: async (feed, { after, before }, limit) => {
    const found = entries
      .filter((item) => item.feed === feed && item.seq > after && item.seq < before)
      .sort((a, b) => (a.seq < b.seq ? -1 : 1));
    return { items: found.slice(0, limit), ...(found.length > limit ? { next: { more: true } } : {}) };
  },
});

/** Items the caller may see now, by id; anything else is hidden, as the services answer. */
export const viewOf =
  (visible: Record<string, { version: number }>) =>
  async (_context: ServiceContext, changes: readonly LoggedChange[]) =>
    new Map(
      changes.flatMap((change) => {
        const item = visible[change.id];
        return item ? [[itemKey(change), { id: change.id, ...item }] as const] : [];
      }),
    );

/** Nothing of a lost role is readable any more (tests of the delta pass their own). */
export const noneReadable = async () => new Set<string>();

export const since = (minutes: number, feeds: string[]): SyncPosition => ({
  after: positionAt(minutesAgo(minutes)),
  feeds,
});

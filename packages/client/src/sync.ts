/**
 * Offline sync (`GET /sync`) into a local store: pages are applied in order, each with the
 * cursor that follows it, so a client interrupted mid-way resumes where it stopped. After a
 * role change the server sends tombstones for what the user may no longer keep and the items a
 * new role shows, as ordinary changes. A `410` (the cursor is older than the server's change
 * log) clears the store and starts over with a full snapshot.
 */
import type { Client } from 'openapi-fetch';
import { ShiftlineError } from './auth.ts';
import type { components, paths } from './generated/openapi.ts';

export type SyncChange = components['schemas']['SyncChange'];
export type SyncEntityType = SyncChange['entityType'];

/** Where synced items live: a cursor and the items, changed together (one transaction if you can). */
export interface SyncStore {
  cursor(): string | undefined | Promise<string | undefined>;
  /** Applies one page's changes, oldest first, and keeps its cursor. */
  apply(changes: readonly SyncChange[], nextCursor: string): void | Promise<void>;
  /** Forgets every item and the cursor (before a full resync). */
  clear(): void | Promise<void>;
}

type Item = NonNullable<SyncChange['data']>;

/** A store in memory, keyed `<entityType>:<id>`: a newer version wins, a delete removes. */
export const memorySyncStore = () => {
  const items = new Map<string, { version: number; data: Item }>();
  let cursor: string | undefined;
  const store: SyncStore & { get(type: SyncEntityType, id: string): Item | undefined; size(): number } = {
    cursor: () => cursor,
    apply: (changes, nextCursor) => {
      for (const change of changes) {
        const key = `${change.entityType}:${change.id}`;
        if (change.op === 'delete') items.delete(key);
        else if (change.data && (items.get(key)?.version ?? -1) <= change.version) {
          items.set(key, { version: change.version, data: change.data });
        }
      }
      cursor = nextCursor;
    },
    clear: () => {
      items.clear();
      cursor = undefined;
    },
    get: (type, id) => items.get(`${type}:${id}`)?.data,
    size: () => items.size,
  };
  return store;
};

export interface SyncResult {
  /** Changes applied (upserts and deletes). */
  applied: number;
  /** The store was cleared and filled from a snapshot (first sync, or the cursor had expired). */
  resynced: boolean;
}

/** Pulls every page ready now into the store. */
export const syncInto = async (
  api: Client<paths>,
  store: SyncStore,
  options: { limit?: number } = {},
): Promise<SyncResult> => {
  let since = await store.cursor();
  let resynced = since === undefined;
  let applied = 0;
  for (;;) {
    const { data, error, response } = await api.GET('/sync', {
      params: { query: { limit: options.limit ?? 100, ...(since === undefined ? {} : { since }) } },
    });
    if (response.status === 410 && since !== undefined) {
      await store.clear();
      since = undefined;
      resynced = true;
      continue;
    }
    if (!data) throw new ShiftlineError(response.status, error);
    await store.apply(data.changes, data.nextCursor);
    applied += data.changes.length;
    since = data.nextCursor;
    if (!data.hasMore) return { applied, resynced };
  }
};

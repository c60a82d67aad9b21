/**
 * A full snapshot for GET /sync without `since`: every item the caller may see, source after
 * source (the services' own lists, so the same views and policy), then a cursor at the change
 * log position taken when the snapshot began, so nothing changed meanwhile is lost (a change
 * both in the snapshot and in the log comes twice: clients apply upserts by version).
 */
import type { ServiceContext } from '../context.ts';
import type { ListPosition, Page, PageRequest } from '../page.ts';
import type { SyncEntityType } from './ports.ts';
import type { SyncChange, SyncPage, SyncPosition } from './service.ts';

/** A versioned item as a list shows it. */
export interface SnapshotItem {
  id: string;
  version?: number;
  updatedAt?: string;
  sentAt?: string;
  createdAt?: string;
}

export interface SnapshotSource {
  entityType: SyncEntityType;
  list(context: ServiceContext, page: PageRequest): Promise<Page<SnapshotItem>>;
}

/** An item of a list as an upsert (its data as the list shows it). */
export const upsertOf = (entityType: SyncEntityType, item: SnapshotItem, now: Date): SyncChange => ({
  entityType,
  id: item.id,
  op: 'upsert',
  version: item.version ?? 1,
  at: item.updatedAt ?? item.sentAt ?? item.createdAt ?? now.toISOString(),
  data: item,
});

export const snapshotPage = async (
  sources: readonly SnapshotSource[],
  context: ServiceContext,
  at: SyncPosition & Required<Pick<SyncPosition, 'snapshot'>>,
  limit: number,
): Promise<SyncPage> => {
  const { phase, position } = at.snapshot;
  const source = sources[phase];
  if (!source) return { changes: [], next: { after: at.after, feeds: at.feeds }, hasMore: true };
  const page = await source.list(context, { limit, ...(position ? { position } : {}) });
  const next: { phase: number; position?: ListPosition } =
    page.next === undefined ? { phase: phase + 1 } : { phase, position: page.next };
  return {
    changes: page.items.map((item) => upsertOf(source.entityType, item, context.now)),
    // The snapshot's last page hands over to the log at the position taken when it began.
    next: sources[next.phase] ? { ...at, snapshot: next } : { after: at.after, feeds: at.feeds },
    hasMore: true,
  };
};

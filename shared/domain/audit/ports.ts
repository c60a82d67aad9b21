/** What the audit ledger's logic needs from storage (implemented in shared/data/audit-ledger.ts). */
import type { ListPosition, Page } from '../repository.ts';
import type { LedgerEntry } from './entry.ts';
import type { ChainId } from './item-changes.ts';

export interface LedgerWriter {
  /** The chain's newest entries, newest first, read consistently. */
  newest(chain: ChainId, limit: number): Promise<LedgerEntry[]>;
  /** Puts the entry if its seq is still free; false when another writer took it first. */
  append(entry: LedgerEntry): Promise<boolean>;
}

export interface LedgerQuery {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  /** ISO times, inclusive; without `from`, a query by type alone reaches back DEFAULT_LOOKBACK_DAYS. */
  from?: string;
  to: string;
}

export interface LedgerReader {
  /** A page of the chain, oldest first. */
  chainPage(chain: ChainId, limit: number, position?: ListPosition): Promise<Page<LedgerEntry>>;
  /** Entries matching the query, newest first (a page may be short; follow `next`). */
  search(query: LedgerQuery, limit: number, position?: ListPosition): Promise<Page<LedgerEntry>>;
}

/**
 * The count of changes Main holds for each source item of a chain: the versions of the items
 * that feed it (the entity, its access log), for the keys named plus any the store can derive
 * from the chain itself. Items that are absent, or that belong to another chain, count 0.
 */
export interface ChainWitness {
  positionsOf(chain: ChainId, sourceKeys: readonly string[]): Promise<Record<string, number>>;
}

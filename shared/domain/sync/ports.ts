/**
 * Offline sync's change log, as the domain sees it: what one change of an item says (never
 * its content: `data` is read afresh, through the REST services, when a client syncs), the
 * feeds it is logged in, and the ports the writer and the reader work through.
 */

import type { ServiceContext } from '../context.ts';
import type { Page } from '../page.ts';

/** The kinds of item a client keeps offline (GET /sync's `entityType`). */
export const SYNC_ENTITY_TYPES = [
  'StaffProfile',
  'Credential',
  'Contract',
  'Appointment',
  'Conversation',
  'Message',
] as const;
export type SyncEntityType = (typeof SYNC_ENTITY_TYPES)[number];

export interface LoggedChange {
  entityType: SyncEntityType;
  id: string;
  op: 'upsert' | 'delete';
  /** The item's version after the change (a message, immutable, is always 1). */
  version: number;
  /** When the item changed (its `updatedAt`, a message's `sentAt`). */
  at: string;
  /** A message is read within its conversation. */
  conversationId?: string;
}

/**
 * A feed is what one reader queries: `USER#<sub>` (their own items, their conversations) or
 * `ROLE#<role>` (what every holder of the role may list, such as every contract for recruiters).
 */
export type Feed = `USER#${string}` | `ROLE#${string}`;

export interface SyncLogEntry extends LoggedChange {
  feed: string;
  /** A ULID minted when the entry was written: the feed's order, and the cursor's position. */
  seq: string;
  /** Epoch seconds when DynamoDB may drop the entry (the log's retention). */
  ttl: number;
}

export interface ChangeLogWriter {
  append(entries: readonly SyncLogEntry[]): Promise<void>;
}

export interface ChangeLogReader {
  /** A feed's entries with `after < seq < before`, oldest first. */
  read(feed: string, range: { after: string; before: string }, limit: number): Promise<Page<SyncLogEntry>>;
}

/** Where a page's views are kept: `<entityType>#<id>`. */
export const itemKey = (item: { entityType: SyncEntityType; id: string }): string =>
  `${item.entityType}#${item.id}`;

/**
 * A page's changed items as their REST routes would show them to the caller now (the services'
 * own views, policy and audited reads), by `itemKey`; an item gone or hidden from the caller is absent.
 */
export type ItemViews = (
  context: ServiceContext,
  changes: readonly LoggedChange[],
) => Promise<ReadonlyMap<string, unknown>>;

/** The kinds a role may read whoever owns them: the kinds a role feed logs. */
export type OwnedEntityType = 'StaffProfile' | 'Credential' | 'Contract' | 'Appointment';

/**
 * The ids among these items of one kind the caller may read now: the policy's `read` on each
 * stored item, nothing shown and nothing audited (a lost role's items, after a role change).
 */
export type ReadableItems = (
  context: ServiceContext,
  entityType: OwnedEntityType,
  ids: readonly string[],
) => Promise<ReadonlySet<string>>;

/**
 * What appending needs of a chain's newest entries, carried from one append to the next so a
 * chain's next change costs one conditional Put instead of a Query and a Put. A carried head
 * is only ever a past state of the ledger: if another writer appended since, the seq it names
 * is taken, the Put fails and the chain is read again (shared/domain/audit/append.ts).
 */
import { GENESIS_HASH, type LedgerEntry } from './entry.ts';

/** How many of the newest entries a record id is looked for in (items without a version). */
export const REPLAY_WINDOW = 25;

export interface ChainHead {
  seq: number;
  hash: string;
  positions: Record<string, number>;
  /** Stream record ids of the newest entries, newest first. */
  eventIds: readonly string[];
  /** Whether `eventIds` holds all of the chain's newest REPLAY_WINDOW entries. */
  fullWindow: boolean;
}

/** The head as read from the chain's `newest` entries (asked for `limit` of them). */
export const headOf = (newest: readonly LedgerEntry[], limit: number): ChainHead => ({
  seq: newest[0]?.seq ?? 0,
  hash: newest[0]?.hash ?? GENESIS_HASH,
  positions: { ...newest[0]?.positions },
  eventIds: newest.map((entry) => entry.eventId),
  fullWindow: limit >= REPLAY_WINDOW || newest.length < limit,
});

/** The head once `entry` is appended after `head`. */
export const advance = (head: ChainHead, entry: LedgerEntry): ChainHead => ({
  seq: entry.seq,
  hash: entry.hash,
  positions: entry.positions,
  eventIds: [entry.eventId, ...head.eventIds].slice(0, REPLAY_WINDOW),
  fullWindow: head.fullWindow,
});

export interface ChainHeads {
  get(chain: string): ChainHead | undefined;
  set(chain: string, head: ChainHead): void;
  delete(chain: string): void;
}

/** Heads of the `capacity` chains appended to most recently (a container's memory stays bounded). */
export const createChainHeads = (capacity: number): ChainHeads => {
  const heads = new Map<string, ChainHead>();
  return {
    get: (chain) => heads.get(chain),
    set: (chain, head) => {
      heads.delete(chain);
      heads.set(chain, head);
      if (heads.size > capacity) heads.delete(heads.keys().next().value as string);
    },
    delete: (chain) => {
      heads.delete(chain);
    },
  };
};

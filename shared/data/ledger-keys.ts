import type { ChainId } from '#domain/audit/item-changes.ts';
import { key, PREFIX, type PrimaryKey } from './keys.ts';

/** Seqs are zero-padded so the chain sorts by seq as text. */
const SEQ_DIGITS = 10;

export const seqKey = (seq: number): string => String(seq).padStart(SEQ_DIGITS, '0');

/** Keys of the AuditLedger table (shared/data/tables.ts AUDIT_LEDGER_TABLE). */
export const ledgerKeys = {
  /** `ENTITY#<type>#<id>`: one chain per entity. */
  chain: (chain: ChainId): string => key(PREFIX.ledgerChain, chain.entityType, chain.entityId),
  /** The chain's partition, sk = the padded seq. */
  primary: (chain: ChainId, seq: number): PrimaryKey => ({
    pk: ledgerKeys.chain(chain),
    sk: seqKey(seq),
  }),
  /** byActor partition: `ACTOR#<userId>`. */
  actor: (userId: string): string => key(PREFIX.ledgerActor, userId),
  /** byTypeDay partition: `TYPEDAY#<type>#<YYYY-MM-DD>` (a day in UTC). */
  typeDay: (entityType: string, day: string): string => key(PREFIX.ledgerTypeDay, entityType, day),
  /**
   * Both indexes' sort key: the time first, then the chain and seq, so it is unique and sorts
   * entries by time (`<at>#<type>#<id>#<seq>`).
   */
  at: (entry: { at: string; entityType: string; entityId: string; seq: number }): string =>
    key(entry.at, entry.entityType, entry.entityId, seqKey(entry.seq)),
} as const;

/** The Main item a ledger entry came from, as entries name it (`pk|sk`). */
export const sourceKeyOf = (item: PrimaryKey): string => `${item.pk}|${item.sk}`;

export const parseSourceKey = (sourceKey: string): PrimaryKey | undefined => {
  const [pk, sk, extra] = sourceKey.split('|');
  return pk && sk && extra === undefined ? { pk, sk } : undefined;
};

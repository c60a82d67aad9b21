/**
 * Ledger entries and their hash chain. Each entity has one chain; an entry's `hash` is
 * SHA-256(prevHash + RFC 8785 canonical JSON of the entry without its hash), so editing any
 * hashed field, or removing or reordering entries, breaks the chain from that entry on.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditEntry } from '../schemas/audit.ts';

/** `prevHash` of a chain's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditActor = AuditEntry['actor'];
export type FieldChange = AuditEntry['changes'][string];

/**
 * An entry as the ledger stores it: the API fields plus where it came from. `eventId` is the
 * stream record it was made from; `sourceKey` the Main item that changed; `positions` the
 * version of every source item of the chain as of this entry (what verify compares with Main,
 * and what makes a replayed record recognisable). All of it is hashed.
 */
export interface LedgerEntry extends AuditEntry {
  eventId: string;
  sourceKey: string;
  positions: Record<string, number>;
}

export type UnhashedEntry = Omit<LedgerEntry, 'hash'>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const canonicalJson = (value: unknown): string => {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('the entry has no canonical JSON form');
  return text;
};

export const hashOf = (entry: UnhashedEntry): string => sha256(entry.prevHash + canonicalJson(entry));

export const sealEntry = (entry: UnhashedEntry): LedgerEntry => ({ ...entry, hash: hashOf(entry) });

/** The API's view of a stored entry (no stream or source bookkeeping). */
export const publicEntry = (entry: LedgerEntry): AuditEntry => ({
  entityType: entry.entityType,
  entityId: entry.entityId,
  seq: entry.seq,
  action: entry.action,
  actor: entry.actor,
  requestId: entry.requestId,
  at: entry.at,
  summary: entry.summary,
  changes: entry.changes,
  prevHash: entry.prevHash,
  hash: entry.hash,
});

/** The fields a stored entry is hashed over, whatever else the store adds (keys, index keys). */
export const unhashedOf = (entry: LedgerEntry): UnhashedEntry => {
  const { hash: _hash, ...api } = publicEntry(entry);
  return { ...api, eventId: entry.eventId, sourceKey: entry.sourceKey, positions: entry.positions };
};

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

/** The locked bucket the digests (and archived days) are written to. */
export interface EvidenceStore {
  /** Creates the object; `exists` when the key is taken (S3 conditional write, Object Lock). */
  create(key: string, body: Buffer, contentType: string): Promise<{ versionId?: string } | 'exists'>;
  /** The object's bytes and version (that version when given); undefined when it is gone. */
  read(key: string, versionId?: string): Promise<{ bytes: Buffer; versionId?: string } | undefined>;
  /** Every key under the prefix, in key order. */
  list(prefix: string): Promise<string[]>;
}

/** Signs digests: KMS in AWS (ECDSA P-256, `MessageType: DIGEST`), a local key pair in the twin. */
export interface DigestSigner {
  keyId: string;
  /** A DER-encoded ECDSA signature over SHA-256(message). */
  sign(message: Buffer): Promise<Buffer>;
  /** The public key, SPKI PEM. */
  publicKeyPem(): Promise<string>;
}

/** The archive's one write to the ledger: `ttl` on entries it exported (never a chain's newest). */
export interface LedgerExpirer {
  /** The chain's newest seq, read consistently; undefined for an empty chain. */
  newestSeq(chain: ChainId): Promise<number | undefined>;
  /** Sets `ttl` (epoch seconds) on the entry and nothing else; false when it is gone already. */
  expire(chain: ChainId, seq: number, ttl: number): Promise<boolean>;
}

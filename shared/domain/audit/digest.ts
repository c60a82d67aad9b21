/**
 * Ledger digests: what anchors the ledger outside its database. Each digest names, for every
 * chain that changed in its window, the chain's newest seq (its count of entries: seqs run 1…n)
 * and that entry's hash, plus the previous digest (its key and the SHA-256 of its stored bytes),
 * so the digests form a chain of their own, as CloudTrail's digest files do. It is signed with
 * an ECDSA P-256 key (KMS in AWS) over the SHA-256 of its RFC 8785 canonical JSON.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, type LedgerEntry } from './entry.ts';

const HOUR = 3_600_000;

export interface DigestedChain {
  entityType: string;
  entityId: string;
  /** The chain's newest seq as of the digest: the count of its entries. */
  entries: number;
  headHash: string;
}

export interface DigestLink {
  key: string;
  /** SHA-256 (hex) of the previous digest object's bytes. */
  sha256: string;
  /** The S3 version written (absent where the store keeps no versions: the twin). */
  versionId?: string;
}

export interface LedgerDigest {
  version: 1;
  /** The hour the digest is for: `[from, to)`. */
  period: { from: string; to: string };
  /**
   * The `at` window whose entries were read: the period and the hour before it, so an entry
   * the stream consumer appended late (up to an hour) is named by the next digest.
   */
  window: { from: string; to: string };
  createdAt: string;
  chains: DigestedChain[];
  previous: DigestLink | null;
}

export interface DigestSignature {
  algorithm: 'ECDSA_SHA_256';
  keyId: string;
  /** DER-encoded ECDSA signature, base64. */
  value: string;
}

/** The stored object: the digest and its signature. */
export interface SignedDigest {
  digest: LedgerDigest;
  signature: DigestSignature;
}

/** What the digest signs: its canonical JSON, as bytes. */
export const signedBytesOf = (digest: LedgerDigest): Buffer => Buffer.from(canonicalJson(digest), 'utf8');

export const sha256Hex = (bytes: Uint8Array | string): string =>
  createHash('sha256').update(bytes).digest('hex');

/** The hour a run at `time` digests: the whole hour before the hour `time` falls in. */
export const periodOf = (time: Date): { from: Date; to: Date } => {
  const to = new Date(Math.floor(time.getTime() / HOUR) * HOUR);
  return { from: new Date(to.getTime() - HOUR), to };
};

/** `digests/<YYYY>/<MM>/<DD>/<HH>.json`, named by the period's start (UTC). */
export const digestKeyOf = (periodStart: Date): string => {
  const iso = periodStart.toISOString();
  return `digests/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}.json`;
};

/** The period start a digest key names (undefined for a key that is not a digest's). */
export const periodStartOfKey = (key: string): Date | undefined => {
  const match = /^digests\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\.json$/.exec(key);
  if (!match) return undefined;
  const [, year, month, day, hour] = match;
  return new Date(`${year}-${month}-${day}T${hour}:00:00.000Z`);
};

/** The newest entry per chain among `entries` (any order), sorted by type and id. */
export const headsOf = (entries: Iterable<LedgerEntry>): DigestedChain[] => {
  const heads = new Map<string, DigestedChain>();
  for (const entry of entries) {
    const name = `${entry.entityType}#${entry.entityId}`;
    const known = heads.get(name);
    if (!known || known.entries < entry.seq) {
      heads.set(name, {
        entityType: entry.entityType,
        entityId: entry.entityId,
        entries: entry.seq,
        headHash: entry.hash,
      });
    }
  }
  return [...heads.values()].sort((a, b) =>
    a.entityType === b.entityType ? (a.entityId < b.entityId ? -1 : 1) : a.entityType < b.entityType ? -1 : 1,
  );
};

export const buildDigest = (input: {
  period: { from: Date; to: Date };
  createdAt: Date;
  chains: DigestedChain[];
  previous: DigestLink | null;
}): LedgerDigest => ({
  version: 1,
  period: { from: input.period.from.toISOString(), to: input.period.to.toISOString() },
  window: {
    from: new Date(input.period.from.getTime() - HOUR).toISOString(),
    to: input.period.to.toISOString(),
  },
  createdAt: input.createdAt.toISOString(),
  chains: input.chains,
  previous: input.previous,
});

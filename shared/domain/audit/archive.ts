/**
 * Archived ledger days: every entry whose `at` falls on one UTC day, as one gzip JSON Lines
 * object in the locked evidence bucket, and a manifest naming the object's SHA-256 and, per
 * chain, its count of entries that day and the first and last seq and hash. The object is built
 * the same way from the same entries every time (sorted; gzip without a timestamp), so a rerun
 * of a day recognises its own export by the checksum.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { sha256Hex } from './digest.ts';
import type { LedgerEntry } from './entry.ts';

export interface ArchivedChain {
  entityType: string;
  entityId: string;
  /** The chain's entries on that day. */
  entries: number;
  firstSeq: number;
  lastSeq: number;
  firstHash: string;
  lastHash: string;
}

export interface ArchiveManifest {
  version: 1;
  /** YYYY-MM-DD (UTC). */
  day: string;
  object: { key: string; sha256: string; versionId?: string };
  entries: number;
  chains: ArchivedChain[];
}

const DAY_PATTERN = /^archive\/(\d{4})\/(\d{2})\/(\d{2})\.manifest\.json$/;

const dayPath = (day: string) => `archive/${day.slice(0, 4)}/${day.slice(5, 7)}/${day.slice(8, 10)}`;

/** `archive/<YYYY>/<MM>/<DD>.jsonl.gz`. */
export const archiveKeyOf = (day: string): string => `${dayPath(day)}.jsonl.gz`;

/** `archive/<YYYY>/<MM>/<DD>.manifest.json`, beside the day's object. */
export const manifestKeyOf = (day: string): string => `${dayPath(day)}.manifest.json`;

/** Written once every entry of the day but the chains' newest has its `ttl`: the day is done. */
export const expiredKeyOf = (day: string): string => `${dayPath(day)}.expired.json`;

/** The day a manifest key names (undefined for any other key). */
export const dayOfManifestKey = (key: string): string | undefined => {
  const match = DAY_PATTERN.exec(key);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
};

const byChainAndSeq = (a: LedgerEntry, b: LedgerEntry) => {
  if (a.entityType !== b.entityType) return a.entityType < b.entityType ? -1 : 1;
  if (a.entityId !== b.entityId) return a.entityId < b.entityId ? -1 : 1;
  return a.seq - b.seq;
};

/** The day's object (gzip JSON Lines, chains in order, seqs ascending) and its manifest. */
export const buildArchive = (
  day: string,
  entries: readonly LedgerEntry[],
): { body: Buffer; manifest: ArchiveManifest } => {
  const sorted = [...entries].sort(byChainAndSeq);
  const lines = sorted.map((entry) => `${JSON.stringify(entry)}\n`).join('');
  const body = gzipSync(Buffer.from(lines, 'utf8'));
  const chains = new Map<string, ArchivedChain>();
  for (const entry of sorted) {
    const name = `${entry.entityType}#${entry.entityId}`;
    const known = chains.get(name);
    if (known) {
      chains.set(name, { ...known, entries: known.entries + 1, lastSeq: entry.seq, lastHash: entry.hash });
    } else {
      chains.set(name, {
        entityType: entry.entityType,
        entityId: entry.entityId,
        entries: 1,
        firstSeq: entry.seq,
        lastSeq: entry.seq,
        firstHash: entry.hash,
        lastHash: entry.hash,
      });
    }
  }
  return {
    body,
    manifest: {
      version: 1,
      day,
      object: { key: archiveKeyOf(day), sha256: sha256Hex(body) },
      entries: sorted.length,
      chains: [...chains.values()],
    },
  };
};

/** The entries of an archived day's object, as stored (it may have been altered: verify decides). */
export const entriesOfArchive = (body: Buffer): LedgerEntry[] =>
  gunzipSync(body)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as LedgerEntry);

export const parseManifest = (bytes: Buffer): ArchiveManifest | undefined => {
  try {
    const manifest = JSON.parse(bytes.toString('utf8')) as Partial<ArchiveManifest>;
    return manifest.version === 1 && typeof manifest.day === 'string' && Array.isArray(manifest.chains)
      ? (manifest as ArchiveManifest)
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The daily `ledgerArchive` run: each day older than the retention in DynamoDB (90 days by
 * default) is exported to the locked bucket, read back and checked, and only then are its
 * entries given a `ttl` — all but each chain's newest, so a dormant chain keeps its head. Days
 * are archived in order from the day after the newest finished one (its `.expired.json` marker
 * written); a rerun of an unfinished day finds its object and manifest and repeats the expiry.
 */
import type { ListPosition } from '../repository.ts';
import {
  type ArchiveManifest,
  buildArchive,
  dayOfManifestKey,
  entriesOfArchive,
  expiredKeyOf,
  manifestKeyOf,
  parseManifest,
} from './archive.ts';
import { sha256Hex } from './digest.ts';
import type { LedgerEntry } from './entry.ts';
import type { EvidenceStore, LedgerExpirer, LedgerReader } from './ports.ts';

const DAY = 86_400_000;
/** Days one run archives at most (a longer outage catches up over the next runs). */
export const MAX_DAYS_PER_RUN = 7;
const SEARCH_PAGE = 1000;

export interface ArchiveRunResult {
  days: { day: string; entries: number; expired: number; written: boolean }[];
}

const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);

export const createArchiveRun = (deps: {
  reader: LedgerReader;
  store: EvidenceStore;
  expirer: LedgerExpirer;
  afterDays: number;
}) => {
  const { reader, store, expirer, afterDays } = deps;

  const entriesOn = async (day: string) => {
    const entries: LedgerEntry[] = [];
    let position: ListPosition | undefined;
    do {
      const window = { from: `${day}T00:00:00.000Z`, to: `${day}T23:59:59.999Z` };
      const page = await reader.search(window, SEARCH_PAGE, position);
      entries.push(...page.items);
      position = page.next;
    } while (position);
    return entries;
  };

  /** The day's object written (or found, when a run stopped midway) and read back intact. */
  const exportDay = async (day: string): Promise<{ manifest: ArchiveManifest; entries: LedgerEntry[] }> => {
    const { body, manifest } = buildArchive(day, await entriesOn(day));
    const created = await store.create(manifest.object.key, body, 'application/gzip');
    const stored = await store.read(
      manifest.object.key,
      created !== 'exists' ? created.versionId : undefined,
    );
    if (!stored || sha256Hex(stored.bytes) !== manifest.object.sha256) {
      throw new Error(`archive of ${day}: the stored object is not the export; nothing expired`);
    }
    const confirmed: ArchiveManifest = {
      ...manifest,
      object: { ...manifest.object, ...(stored.versionId ? { versionId: stored.versionId } : {}) },
    };
    await store.create(manifestKeyOf(day), Buffer.from(JSON.stringify(confirmed)), 'application/json');
    return { manifest: confirmed, entries: entriesOfArchive(stored.bytes) };
  };

  /** An archived day, found intact by its manifest's checksum. */
  const archivedDay = async (day: string) => {
    const manifest = parseManifest((await store.read(manifestKeyOf(day)))?.bytes ?? Buffer.alloc(0));
    if (!manifest) return undefined;
    const stored = await store.read(manifest.object.key, manifest.object.versionId);
    if (!stored || sha256Hex(stored.bytes) !== manifest.object.sha256) {
      throw new Error(`archive of ${day}: the object does not match its manifest; nothing expired`);
    }
    return { manifest, entries: entriesOfArchive(stored.bytes) };
  };

  const expire = async (entries: readonly LedgerEntry[], ttl: number) => {
    const newest = new Map<string, number | undefined>();
    let expired = 0;
    for (const entry of entries) {
      const name = `${entry.entityType}#${entry.entityId}`;
      if (!newest.has(name)) newest.set(name, await expirer.newestSeq(entry));
      const head = newest.get(name);
      if (head === undefined || entry.seq >= head) continue;
      if (await expirer.expire(entry, entry.seq, ttl)) expired += 1;
    }
    return expired;
  };

  /** The day after the newest finished one; that day itself when its expiry did not finish. */
  const firstDayToArchive = async (lastDay: string) => {
    const keys = await store.list('archive/');
    const newest = keys.flatMap((key) => dayOfManifestKey(key) ?? []).at(-1);
    if (!newest) return lastDay;
    return keys.includes(expiredKeyOf(newest)) ? dayOf(Date.parse(`${newest}T00:00:00Z`) + DAY) : newest;
  };

  return async (now: Date): Promise<ArchiveRunResult> => {
    const lastDay = dayOf(now.getTime() - afterDays * DAY);
    const ttl = Math.floor(now.getTime() / 1000);
    const days: ArchiveRunResult['days'] = [];
    let day = await firstDayToArchive(lastDay);
    for (let count = 0; count < MAX_DAYS_PER_RUN && day <= lastDay; count += 1) {
      const found = await archivedDay(day);
      const archived = found ?? (await exportDay(day));
      const expired = await expire(archived.entries, ttl);
      await store.create(
        expiredKeyOf(day),
        Buffer.from(JSON.stringify({ day, expired })),
        'application/json',
      );
      days.push({ day, entries: archived.manifest.entries, expired, written: found === undefined });
      day = dayOf(Date.parse(`${day}T00:00:00Z`) + DAY);
    }
    return { days };
  };
};

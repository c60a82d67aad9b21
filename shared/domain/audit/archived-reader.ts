/**
 * The ledger as readers see it once days are archived: DynamoDB first, the archived days of the
 * locked bucket where DynamoDB no longer holds entries. A chain page with a gap before its first
 * live entry is filled from the days whose manifests name the chain; a search whose window
 * reaches archived days reads those days from their objects, merged with what DynamoDB still
 * holds of them (each chain's head; entries whose ttl has not run yet; a day archived while it
 * was still being written, as in the twin's tests). Each archived day read costs a LIST, a GET of
 * its manifest and one of its object; nothing is cached (an object replaced by an insider must
 * show up in verify at once).
 */
import type { ListPosition, Page } from '../repository.ts';
import { archiveKeyOf, dayOfManifestKey, entriesOfArchive, manifestKeyOf, parseManifest } from './archive.ts';
import type { LedgerEntry } from './entry.ts';
import type { ChainId } from './item-changes.ts';
import type { EvidenceStore, LedgerQuery, LedgerReader } from './ports.ts';

/** A type-only search without `from` reaches back this far (as the DynamoDB reader does). */
const DEFAULT_LOOKBACK_MS = 90 * 86_400_000;
const DAY_MS = 86_400_000;
const LIVE_PAGE = 1000;

const startOf = (day: string) => `${day}T00:00:00.000Z`;
const endOf = (day: string) => `${day}T23:59:59.999Z`;
const before = (day: string) => new Date(Date.parse(startOf(day)) - 1).toISOString();
const after = (day: string) => new Date(Date.parse(startOf(day)) + DAY_MS).toISOString();

const newestFirst = (a: LedgerEntry, b: LedgerEntry) => {
  const left = `${a.at}#${a.entityType}#${a.entityId}#${String(a.seq).padStart(10, '0')}`;
  const right = `${b.at}#${b.entityType}#${b.entityId}#${String(b.seq).padStart(10, '0')}`;
  return left < right ? 1 : -1;
};

const matches = (query: LedgerQuery, from: string) => (entry: LedgerEntry) =>
  (!query.entityType || entry.entityType === query.entityType) &&
  (!query.entityId || entry.entityId === query.entityId) &&
  (!query.actorId || entry.actor.userId === query.actorId) &&
  entry.at >= from &&
  entry.at <= query.to;

export const withArchive = (inner: LedgerReader, store: EvidenceStore): LedgerReader => {
  const archivedDays = async () =>
    (await store.list('archive/')).flatMap((key) => dayOfManifestKey(key) ?? []);

  const dayEntries = async (day: string) => {
    const manifest = parseManifest((await store.read(manifestKeyOf(day)))?.bytes ?? Buffer.alloc(0));
    const found = await store.read(manifest?.object.key ?? archiveKeyOf(day), manifest?.object.versionId);
    return found ? entriesOfArchive(found.bytes) : [];
  };

  /** Archived entries of the chain with seqs in [first, last], oldest first, up to `limit`. */
  const archivedSeqs = async (chain: ChainId, first: number, last: number, limit: number, upTo: string) => {
    const days: string[] = [];
    for (const day of (await archivedDays()).filter((candidate) => candidate <= upTo).reverse()) {
      const manifest = parseManifest((await store.read(manifestKeyOf(day)))?.bytes ?? Buffer.alloc(0));
      const named = manifest?.chains.find(
        (item) => item.entityType === chain.entityType && item.entityId === chain.entityId,
      );
      if (!named || named.lastSeq < first) continue;
      days.unshift(day);
      if (named.firstSeq <= first) break;
    }
    const entries: LedgerEntry[] = [];
    for (const day of days) {
      entries.push(
        ...(await dayEntries(day)).filter(
          (entry) =>
            entry.entityType === chain.entityType &&
            entry.entityId === chain.entityId &&
            entry.seq >= first &&
            entry.seq <= last,
        ),
      );
      if (entries.length >= limit) break;
    }
    return entries.sort((a, b) => a.seq - b.seq).slice(0, limit);
  };

  const chainPage: LedgerReader['chainPage'] = async (chain, limit, position) => {
    const live = await inner.chainPage(chain, limit, position);
    const from = typeof position?.after === 'number' ? position.after : 0;
    const firstLive = live.items[0];
    if (!firstLive || firstLive.seq === from + 1) return live;
    const archived = await archivedSeqs(chain, from + 1, firstLive.seq - 1, limit, firstLive.at.slice(0, 10));
    if (archived.length === 0) return live;
    const items = [...archived, ...live.items];
    const taken = items.slice(0, limit);
    const last = taken.at(-1);
    const more = items.length > limit || live.next !== undefined;
    return { items: taken, next: more && last ? { after: last.seq } : undefined };
  };

  /** The day's live entries matching the query: what the archive left (heads, not yet deleted). */
  const liveOn = async (query: LedgerQuery, day: string, from: string) => {
    const window = {
      ...query,
      from: [startOf(day), from].sort().at(-1) ?? from,
      to: [endOf(day), query.to].sort()[0] ?? query.to,
    };
    const entries: LedgerEntry[] = [];
    let position: ListPosition | undefined;
    do {
      const page = await inner.search(window, LIVE_PAGE, position);
      entries.push(...page.items);
      position = page.next;
    } while (position);
    return entries;
  };

  /** An archived day merged with what DynamoDB still holds of it (the live copy wins), newest first. */
  const entriesOfDay = async (query: LedgerQuery, day: string, from: string) => {
    const merged = new Map<string, LedgerEntry>();
    const name = (entry: LedgerEntry) => `${entry.entityType}#${entry.entityId}#${entry.seq}`;
    for (const entry of (await dayEntries(day)).filter(matches(query, from))) merged.set(name(entry), entry);
    for (const entry of await liveOn(query, day, from)) merged.set(name(entry), entry);
    return [...merged.values()].sort(newestFirst);
  };

  /** Newest first over the archived days in [from, to], resuming at `day` after `skip` entries. */
  const searchArchive = async (
    query: LedgerQuery,
    from: string,
    days: string[],
    limit: number,
    resume: { day: string; skip: number },
  ): Promise<Page<LedgerEntry> & { exhausted: boolean }> => {
    const items: LedgerEntry[] = [];
    for (const day of days.filter((candidate) => candidate <= resume.day).reverse()) {
      const skip = day === resume.day ? resume.skip : 0;
      const found = await entriesOfDay(query, day, from);
      const wanted = limit - items.length;
      items.push(...found.slice(skip, skip + wanted));
      if (found.length > skip + wanted)
        return { items, next: { archiveDay: day, skip: skip + wanted }, exhausted: false };
      if (items.length >= limit) {
        const older = days.filter((candidate) => candidate < day).at(-1);
        return older
          ? { items, next: { archiveDay: older, skip: 0 }, exhausted: false }
          : { items, next: undefined, exhausted: true };
      }
    }
    return { items, next: undefined, exhausted: true };
  };

  /**
   * Three stretches, newest first: DynamoDB after the newest archived day, the archived days,
   * then DynamoDB before the oldest one (days from before archiving began). A page ends where a
   * stretch ends, so it may be short: the client follows `next`, as every list says.
   */
  const search: LedgerReader['search'] = async (query, limit, position = {}) => {
    const typeWalk = !(query.entityType && query.entityId) && !query.actorId;
    const from =
      query.from ?? (typeWalk ? new Date(Date.parse(query.to) - DEFAULT_LOOKBACK_MS).toISOString() : '0');
    const all = await archivedDays();
    const days = all.filter((day) => endOf(day) >= from && startOf(day) <= query.to);
    const newest = days.at(-1);
    const oldest = all[0];
    if (!newest || !oldest) return inner.search(query, limit, position);
    const { archiveDay, skip, early, ...rest } = position;
    const innerPosition = (Object.keys(rest).length > 0 ? rest : undefined) as ListPosition | undefined;
    if (early === true) {
      const page = await inner.search({ ...query, from, to: before(oldest) }, limit, innerPosition);
      return { items: page.items, next: page.next ? { ...page.next, early: true } : undefined };
    }
    if (typeof archiveDay !== 'string' && after(newest) <= query.to) {
      const liveFrom = [after(newest), from].sort().at(-1) ?? from;
      const page = await inner.search({ ...query, from: liveFrom }, limit, innerPosition);
      return page.next ? page : { items: page.items, next: { archiveDay: newest, skip: 0 } };
    }
    const resume = { day: typeof archiveDay === 'string' ? archiveDay : newest, skip: Number(skip ?? 0) };
    const archived = await searchArchive(query, from, days, limit, resume);
    const earlier = archived.exhausted && before(oldest) >= from ? { early: true } : undefined;
    return { items: archived.items, next: archived.next ?? earlier };
  };

  return { chainPage, search };
};

/**
 * Reading the ledger for /audit: a chain by its partition, an actor's entries on byActor, and
 * entries by type on byTypeDay, walking day buckets newest first. Queries only; a page may be
 * shorter than asked when filters thin it out (follow `next`, as API.md's lists say).
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AUDIT_ENTITY_TYPES } from '#domain/audit/item-changes.ts';
import type { LedgerQuery, LedgerReader } from '#domain/audit/ports.ts';
import type { ListPosition } from '#domain/repository.ts';
import { requireEnv } from '#runtime/config.ts';
import { entryOfItem } from './audit-ledger.ts';
import { documentClient } from './client.ts';
import { ledgerKeys, seqKey } from './ledger-keys.ts';
import { AUDIT_LEDGER_TABLE } from './tables.ts';

/** Without `from`, a query by type alone walks this many days back from `to`. */
export const DEFAULT_LOOKBACK_DAYS = 90;
const MAX_QUERIES_PER_RANGE = 10;
const MAX_DAYS_PER_PAGE = 31;
/** Sorts before every ISO time (key conditions refuse an empty string). */
const EARLIEST = '0';
const [BY_ACTOR, BY_TYPE_DAY] = AUDIT_LEDGER_TABLE.globalSecondaryIndexes;

interface Range {
  index?: string;
  partition: { name: string; value: string };
  sortName: string;
  /** Sort key bounds: `lo` inclusive, `hi` exclusive. */
  lo: string;
  hi: string;
  /** Attribute path (`actor.userId`) → the value it must equal; undefined filters nothing. */
  filters: Record<string, string | undefined>;
  /** For partitions not sorted by time (a chain): the `at` window, inclusive. */
  window?: { from?: string; to: string };
}

type Item = Record<string, unknown>;

/** Up to `limit` items of one partition, newest first; `resumeBefore` when more may follow. */
const newestIn = async (range: Range, limit: number) => {
  const names: Record<string, string> = { '#p': range.partition.name, '#s': range.sortName };
  const values: Record<string, unknown> = { ':p': range.partition.value, ':lo': range.lo, ':hi': range.hi };
  const conditions: string[] = [];
  for (const [index, [path, value]] of Object.entries(range.filters).entries()) {
    if (value === undefined) continue;
    const parts = path.split('.').map((part, depth) => {
      names[`#f${index}_${depth}`] = part;
      return `#f${index}_${depth}`;
    });
    values[`:f${index}`] = value;
    conditions.push(`${parts.join('.')} = :f${index}`);
  }
  if (range.window) {
    names['#at'] = 'at';
    values[':to'] = range.window.to;
    values[':from'] = range.window.from ?? EARLIEST;
    conditions.push('#at BETWEEN :from AND :to');
  }
  const input: QueryCommandInput = {
    TableName: requireEnv('ledgerTable'),
    IndexName: range.index,
    KeyConditionExpression: '#p = :p AND #s BETWEEN :lo AND :hi',
    ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: false,
  };
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  for (let query = 0; query < MAX_QUERIES_PER_RANGE; query += 1) {
    // One more than needed: the exclusive upper bound may come back and be dropped.
    const page = await documentClient.send(
      new QueryCommand({ ...input, Limit: limit - items.length + 1, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []).filter((item) => item[range.sortName] !== range.hi));
    start = page.LastEvaluatedKey;
    if (items.length >= limit || !start) break;
  }
  const taken = items.slice(0, limit);
  const last = items.length >= limit ? taken.at(-1) : start;
  return { items: taken, resumeBefore: last ? String(last[range.sortName]) : undefined };
};

const dayOf = (iso: string) => iso.slice(0, 10);
const previousDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
/** Every `at` of the `to` second sorts before this (atKey is `<at>#…`, and `$` follows `#`). */
const upTo = (to: string) => `${to}$`;

interface IndexPosition {
  day?: string;
  before?: string;
}

const byTypeDays = async (query: LedgerQuery, limit: number, position: IndexPosition) => {
  const from =
    query.from ?? new Date(Date.parse(query.to) - DEFAULT_LOOKBACK_DAYS * 86_400_000).toISOString();
  const types = query.entityType ? [query.entityType] : AUDIT_ENTITY_TYPES;
  const items: Item[] = [];
  let day = position.day ?? dayOf(query.to);
  let before = position.before;
  for (let walked = 0; walked < MAX_DAYS_PER_PAGE; walked += 1) {
    if (day < dayOf(from)) return { items, next: undefined };
    const remaining = limit - items.length;
    const found = await Promise.all(
      types.map((type) =>
        newestIn(
          {
            index: BY_TYPE_DAY?.indexName,
            partition: { name: 'typeDayKey', value: ledgerKeys.typeDay(type, day) },
            sortName: 'atKey',
            lo: from,
            hi: before ?? upTo(query.to),
            filters: {},
          },
          remaining,
        ),
      ),
    );
    const merged = found
      .flatMap((result) => result.items)
      .sort((a, b) => (String(a.atKey) < String(b.atKey) ? 1 : -1));
    items.push(...merged.slice(0, remaining));
    if (merged.length > remaining || found.some((result) => result.resumeBefore !== undefined)) {
      return { items, next: { day, before: String(items.at(-1)?.atKey) } };
    }
    day = previousDay(day);
    before = undefined;
  }
  return { items, next: day < dayOf(from) ? undefined : { day } };
};

export const ledgerReader: LedgerReader = {
  chainPage: async (chain, limit, position) => {
    const after = typeof position?.after === 'number' ? position.after : 0;
    const { Items = [] } = await documentClient.send(
      new QueryCommand({
        TableName: requireEnv('ledgerTable'),
        KeyConditionExpression: 'pk = :pk AND sk > :after',
        ExpressionAttributeValues: { ':pk': ledgerKeys.chain(chain), ':after': seqKey(after) },
        Limit: limit,
      }),
    );
    const items = Items.map(entryOfItem);
    const last = items.at(-1);
    return { items, next: items.length === limit && last ? { after: last.seq } : undefined };
  },

  search: async (query, limit, position = {}) => {
    const before = typeof position.before === 'string' ? position.before : undefined;
    const { entityType, entityId, actorId } = query;
    if (entityType && entityId) {
      const found = await newestIn(
        {
          partition: { name: 'pk', value: ledgerKeys.chain({ entityType, entityId }) },
          sortName: 'sk',
          lo: seqKey(0),
          hi: before ?? seqKey(9_999_999_999),
          filters: { 'actor.userId': actorId },
          window: { from: query.from, to: query.to },
        },
        limit,
      );
      return page(found.items, found.resumeBefore);
    }
    if (actorId) {
      const found = await newestIn(
        {
          index: BY_ACTOR?.indexName,
          partition: { name: 'actorKey', value: ledgerKeys.actor(actorId) },
          sortName: 'atKey',
          lo: query.from ?? EARLIEST,
          hi: before ?? upTo(query.to),
          filters: { entityType, entityId },
        },
        limit,
      );
      return page(found.items, found.resumeBefore);
    }
    const day = typeof position.day === 'string' ? position.day : undefined;
    const walked = await byTypeDays(query, limit, { day, before });
    return { items: walked.items.map(entryOfItem), next: walked.next as ListPosition | undefined };
  },
};

const page = (items: Item[], resumeBefore: string | undefined) => ({
  items: items.map(entryOfItem),
  next: resumeBefore === undefined ? undefined : { before: resumeBefore },
});

/**
 * The AuditLedger table: append (a conditional Put, the only write anyone may make), the newest
 * entries of a chain, and the witness reads of Main that verify compares the chain with.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry } from '#domain/audit/entry.ts';
import { chainKeyOf, chainOfItem } from '#domain/audit/item-changes.ts';
import type { ChainWitness, LedgerWriter } from '#domain/audit/ports.ts';
import { requireEnv } from '#runtime/config.ts';
import { untilProcessed } from './batches.ts';
import { documentClient } from './client.ts';
import { accessEventEntity } from './entities/access-events.ts';
import { ledgerKeys, parseSourceKey, sourceKeyOf } from './ledger-keys.ts';

/** What the table adds to an entry: its key, both index keys and the archive's expiry. */
const STORE_FIELDS = ['pk', 'sk', 'actorKey', 'typeDayKey', 'atKey', 'ttl'] as const;

export const entryOfItem = (item: Record<string, unknown>): LedgerEntry => {
  const entry: Record<string, unknown> = { ...item };
  for (const field of STORE_FIELDS) delete entry[field];
  return entry as unknown as LedgerEntry;
};

export const itemOfEntry = (entry: LedgerEntry) => ({
  ...ledgerKeys.primary(entry, entry.seq),
  actorKey: ledgerKeys.actor(entry.actor.userId),
  typeDayKey: ledgerKeys.typeDay(entry.entityType, entry.at.slice(0, 10)),
  atKey: ledgerKeys.at(entry),
  ...entry,
});

export const ledgerWriter: LedgerWriter = {
  newest: async (chain, limit) => {
    const { Items = [] } = await documentClient.send(
      new QueryCommand({
        TableName: requireEnv('ledgerTable'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': ledgerKeys.chain(chain) },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return Items.map(entryOfItem);
  },

  append: async (entry) => {
    try {
      await documentClient.send(
        new PutCommand({
          TableName: requireEnv('ledgerTable'),
          Item: itemOfEntry(entry),
          // The seq is taken at most once: no second writer, and no replay, can fork the chain.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },
};

const BATCH_GET_LIMIT = 100;

/** Versions in Main of the chain's sources: those named, plus the chain's access log. */
export const chainWitness: ChainWitness = {
  positionsOf: async (chain, sourceKeys) => {
    const accessLog = sourceKeyOf(accessEventEntity.key(chain));
    const names = [...new Set([...sourceKeys, accessLog])].slice(0, BATCH_GET_LIMIT);
    const keys = names.flatMap((name) => parseSourceKey(name) ?? []);
    const table = requireEnv('mainTable');
    const items: Record<string, unknown>[] = [];
    await untilProcessed<Record<string, unknown>>(
      keys.map((primary) => ({ ...primary })),
      async (pending) => {
        const result = await documentClient.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: [...pending], ConsistentRead: true } } }),
        );
        items.push(...(result.Responses?.[table] ?? []));
        return result.UnprocessedKeys?.[table]?.Keys ?? [];
      },
      { calls: 5, firstDelayMs: 0, gaveUp: 'Main kept keys of a chain witness unprocessed' },
    );
    const counted: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
    for (const item of items) {
      const itemChain = chainOfItem(item);
      // An item of another chain counts nothing here: a source key pointed elsewhere is caught.
      if (!itemChain || chainKeyOf(itemChain) !== chainKeyOf(chain)) continue;
      if (typeof item.version === 'number') {
        counted[sourceKeyOf({ pk: String(item.pk), sk: String(item.sk) })] = item.version;
      }
    }
    return counted;
  },
};

/**
 * An entity's reads and conditional writes, one DynamoDB call each. A refused condition is
 * always the domain's StaleWrite carrying the item as the condition saw it (read back through
 * ReturnValuesOnConditionCheckFailure, so a lost race costs no second read).
 */
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StaleWrite } from '#domain/repository.ts';
import { requireEnv } from '#runtime/config.ts';
import { chunksOf, untilProcessed } from './batches.ts';
import { documentClient } from './client.ts';
import { type Clause, is, Placeholders, placeholderMaps, render } from './conditions.ts';
import { isConditionFailure, storedItemOf, type TransactItem } from './transact.ts';
import { differences, renderUpdate, type UpdateSpec } from './update-expression.ts';

type Stored = Record<string, unknown>;
type PrimaryKey = { pk: string; sk: string };

export interface EntityWrites<T, K> {
  /** Puts a new item; refused (StaleWrite with the existing record) when the key is taken. */
  create(record: T, extra?: Stored): Promise<void>;
  /** Replaces the item when the clauses hold. */
  put(record: T, when: readonly Clause[], extra?: Stored): Promise<void>;
  /** Updates attributes when the clauses hold; answers the record as written. */
  update(values: K, change: UpdateSpec, when?: readonly Clause[]): Promise<T>;
  /**
   * The same update, answering nothing (`ReturnValues: NONE`): for hot writes whose result is
   * unused, so the item (a membership with a thousand unread ids) does not travel back each time.
   */
  updateOnly(values: K, change: UpdateSpec, when?: readonly Clause[]): Promise<void>;
  /** Writes what differs between two versions of a record (index keys included) when the clauses hold. */
  patch(previous: T, next: T, when: readonly Clause[]): Promise<void>;
  remove(values: K, when?: readonly Clause[]): Promise<void>;
  /** The same writes as items of one transaction (shared/data/transact.ts). */
  ops: {
    create(record: T, extra?: Stored): TransactItem;
    put(record: T, when: readonly Clause[], extra?: Stored): TransactItem;
    remove(values: K, when?: readonly Clause[]): TransactItem;
  };
  /** The stored record under a key (internal to the kit: entities expose `get`). */
  read(key: PrimaryKey, consistent: boolean): Promise<T | undefined>;
  /**
   * The records under these keys, in no particular order; absent ones are left out. One
   * BatchGetItem per 100 keys, side by side; keys DynamoDB leaves unprocessed (throttling, 16 MB)
   * are asked again.
   */
  getMany(values: readonly K[], options?: { consistent?: boolean }): Promise<T[]>;
}

interface EntityShape<T, K> {
  key: (values: K) => PrimaryKey;
  item: (record: T, extra?: Stored) => Stored;
  record: (item: Stored) => T;
  indexKeys: (record: T) => { set: Record<string, string>; remove: string[] };
}

const table = () => requireEnv('mainTable');

/** The condition of every create: no item under this key yet. */
const IS_NEW: readonly Clause[] = [is.absent()];

/** The condition expression and its placeholders, or nothing when there is no clause. */
const conditionOf = (when: readonly Clause[], placeholders = new Placeholders()) => {
  const ConditionExpression = render(when, placeholders);
  return {
    ...(ConditionExpression === undefined
      ? {}
      : { ConditionExpression, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const }),
    ...placeholderMaps(placeholders),
  };
};

/** BatchGetItem takes at most 100 keys. */
const MAX_BATCH_KEYS = 100;

/** The items under up to 100 keys, asking again for those DynamoDB leaves unprocessed. */
const batchRead = async (keys: readonly PrimaryKey[], consistent: boolean): Promise<Stored[]> => {
  const items: Stored[] = [];
  await untilProcessed<Record<string, unknown>>(
    keys,
    async (pending) => {
      const { Responses, UnprocessedKeys } = await documentClient.send(
        new BatchGetCommand({
          RequestItems: {
            [table()]: { Keys: [...pending], ...(consistent ? { ConsistentRead: true } : {}) },
          },
        }),
      );
      items.push(...(Responses?.[table()] ?? []));
      return UnprocessedKeys?.[table()]?.Keys ?? [];
    },
    { calls: 6, firstDelayMs: 25, gaveUp: 'batch read throttled: keys left unprocessed' },
  );
  return items;
};

export const entityWrites = <T, K>(entity: EntityShape<T, K>): EntityWrites<T, K> => {
  /** Sends a conditional write; a refusal becomes StaleWrite with the current record. */
  const guarded = async <R>(send: () => Promise<R>): Promise<R> => {
    try {
      return await send();
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = storedItemOf((error as { Item?: Stored }).Item);
      throw new StaleWrite<T>(current === undefined ? undefined : entity.record(current));
    }
  };

  const putInput = (record: T, when: readonly Clause[], extra?: Stored) => ({
    TableName: table(),
    Item: entity.item(record, extra),
    ...conditionOf(when),
  });

  const removeInput = (values: K, when: readonly Clause[] = []) => ({
    TableName: table(),
    Key: entity.key(values),
    ...conditionOf(when),
  });

  const updateInput = (key: PrimaryKey, change: UpdateSpec, when: readonly Clause[]) => {
    const placeholders = new Placeholders();
    const UpdateExpression = renderUpdate(change, placeholders);
    return {
      TableName: table(),
      Key: key,
      UpdateExpression,
      ...conditionOf(when, placeholders),
    };
  };

  return {
    create: (record, extra) =>
      guarded(() => documentClient.send(new PutCommand(putInput(record, IS_NEW, extra)))).then(
        () => undefined,
      ),
    put: (record, when, extra) =>
      guarded(() => documentClient.send(new PutCommand(putInput(record, when, extra)))).then(() => undefined),
    update: async (values, change, when = []) => {
      const { Attributes } = await guarded(() =>
        documentClient.send(
          new UpdateCommand({ ...updateInput(entity.key(values), change, when), ReturnValues: 'ALL_NEW' }),
        ),
      );
      return entity.record(Attributes ?? {});
    },
    updateOnly: async (values, change, when = []) => {
      await guarded(() =>
        documentClient.send(new UpdateCommand(updateInput(entity.key(values), change, when))),
      );
    },
    patch: async (previous, next, when) => {
      // A sparse index's keys leave with the field that made them: `differences` removes them.
      const change = differences(entity.item(previous), entity.item(next));
      const key = entity.key(next as unknown as K);
      await guarded(() => documentClient.send(new UpdateCommand(updateInput(key, change, when))));
    },
    remove: (values, when) =>
      guarded(() => documentClient.send(new DeleteCommand(removeInput(values, when)))).then(() => undefined),
    ops: {
      create: (record, extra) => ({
        Put: putInput(record, IS_NEW, extra),
      }),
      put: (record, when, extra) => ({ Put: putInput(record, when, extra) }),
      remove: (values, when) => ({ Delete: removeInput(values, when) }),
    },
    getMany: async (values, options = {}) => {
      const batches = chunksOf(values, MAX_BATCH_KEYS).map((batch) =>
        batchRead(batch.map(entity.key), options.consistent ?? false),
      );
      return (await Promise.all(batches)).flat().map(entity.record);
    },
    read: async (key, consistent) => {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: table(), Key: key, ConsistentRead: consistent }),
      );
      return Item === undefined ? undefined : entity.record(Item);
    },
  };
};

/**
 * For writes whose refusal means "nothing to do" (a counter already moved, a warning already
 * raised): `write.catch(refusedAs(false))` answers the value on StaleWrite, rethrows the rest.
 */
export const refusedAs =
  <R>(value: R) =>
  (error: unknown): R => {
    if (error instanceof StaleWrite) return value;
    throw error;
  };

/** Whether a conditional write was applied (false: its condition refused it). */
export const applied = (write: Promise<unknown>): Promise<boolean> =>
  write.then(() => true, refusedAs(false));

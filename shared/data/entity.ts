/**
 * The entity kit for the Main table. An entity declares its keys and indexes once, as data
 * (shared/data/entities/*); the kit derives from that declaration the stored item, the domain
 * record (keys and bookkeeping stripped), typed queries per index, and the conditional writes,
 * whose refusals always arrive as the domain's StaleWrite carrying the item as it now is
 * (ReturnValuesOnConditionCheckFailure: no second read after a lost race).
 */
import type { ListPosition, Page } from '#domain/page.ts';
import type { Clause } from './conditions.ts';
import {
  type FieldFormats,
  type IndexTemplate,
  type KeyTemplate,
  leadingKey,
  requiredKey,
  wholeKey,
} from './entity-keys.ts';
import { type EntityWrites, entityWrites } from './entity-writes.ts';
import { runQuery, type SortCondition } from './query.ts';
import { MAIN_INDEX, type MainIndexName } from './tables.ts';

type Stored = Record<string, unknown>;
type FieldOf<T> = keyof T & string;

export interface EntityDeclaration<T> {
  /** The item's `kind` attribute (stream consumers filter on it). */
  kind: string;
  primary: { pk: KeyTemplate<FieldOf<T>>; sk: KeyTemplate<FieldOf<T>> };
  indexes?: Record<string, IndexTemplate<T, FieldOf<T>>>;
  /** How fields appear in keys when not as their plain text (padding, lower case, flags). */
  formats?: { [F in FieldOf<T>]?: (value: T[F]) => string };
  /** Stored attributes the domain record does not carry (bookkeeping such as `lastActor`). */
  hidden?: readonly string[];
  /** Converts stored values the record holds differently (a string set as a sorted array). */
  decode?: (item: Stored) => Stored;
  /** The record's attributes as stored, before keys are added (dropping derived fields). */
  encode?: (record: T) => Stored;
}

type TemplateFields<K> = K extends KeyTemplate<infer F> ? F : never;
type Values<T, K> = { [F in TemplateFields<K> & keyof T]-?: NonNullable<T[F]> };

/** The fields that name one item. */
export type PrimaryValues<T, D extends EntityDeclaration<T>> = Values<T, D['primary']['pk']> &
  Values<T, D['primary']['sk']>;

type IndexesOf<T, D extends EntityDeclaration<T>> = NonNullable<D['indexes']> & { primary: D['primary'] };

/** A query's input: the partition's fields, and optionally the sort key's leading fields. */
export type QueryValues<T, I> = I extends { pk: infer P; sk: infer S }
  ? Values<T, P> & Partial<Values<T, S>>
  : never;

export interface QueryOptions<T, I> {
  limit?: number;
  position?: ListPosition;
  /** Newest (highest sort key) first. */
  descending?: boolean;
  /** A range of the sort key instead of its leading fields. */
  where?: SortCondition<I extends { sk: infer S } ? Partial<Values<T, S>> : never>;
  filter?: readonly Clause[];
  consistent?: boolean;
  /** Read only these attributes (ProjectionExpression). */
  attributes?: readonly FieldOf<T>[];
}

export type EntityQueries<T, D extends EntityDeclaration<T>> = {
  [N in keyof IndexesOf<T, D>]: (
    values: QueryValues<T, IndexesOf<T, D>[N]>,
    options?: QueryOptions<T, IndexesOf<T, D>[N]>,
  ) => Promise<Page<T>>;
};

export interface Entity<T, D extends EntityDeclaration<T>> extends EntityWrites<T, PrimaryValues<T, D>> {
  readonly kind: string;
  readonly declaration: D;
  /** The primary key of the item these fields name. */
  key(values: PrimaryValues<T, D>): { pk: string; sk: string };
  /** The index key attributes of a record: what to set, and the sparse ones to remove. */
  indexKeys(record: T): { set: Record<string, string>; remove: string[] };
  /** The stored item: the record, its keys, its kind and any bookkeeping attributes. */
  item(record: T, extra?: Stored): Stored;
  /** The domain record of a stored item. */
  record(item: Stored): T;
  /** One index's key attributes for (some of) the fields, e.g. to move an item in a list. */
  indexKey(name: keyof NonNullable<D['indexes']> & string, values: Partial<T>): Record<string, string>;
  get(values: PrimaryValues<T, D>, options?: { consistent?: boolean }): Promise<T | undefined>;
  query: EntityQueries<T, D>;
  /** Every page of a query, for the few lists that are read whole (a user's connections). */
  all: { [N in keyof EntityQueries<T, D>]: (...args: Parameters<EntityQueries<T, D>[N]>) => Promise<T[]> };
}

/** Every key attribute of Main, stripped from records whichever entity wrote them. */
const KEY_ATTRIBUTES = new Set([
  'pk',
  'sk',
  'kind',
  ...Object.values(MAIN_INDEX).flatMap((index) => [index.partitionKey.name, index.sortKey.name]),
]);

const physical = (name: MainIndexName | 'primary') =>
  name === 'primary'
    ? { indexName: undefined, pk: 'pk', sk: 'sk' }
    : {
        indexName: MAIN_INDEX[name].indexName,
        pk: MAIN_INDEX[name].partitionKey.name,
        sk: MAIN_INDEX[name].sortKey.name,
      };

/** Declares an entity: `defineEntity<ContractRecord>()({ kind, primary, indexes })`. */
export const defineEntity =
  <T>() =>
  <const D extends EntityDeclaration<T>>(declaration: D): Entity<T, D> => {
    const formats = declaration.formats as FieldFormats | undefined;
    const indexes = (declaration.indexes ?? {}) as Record<string, IndexTemplate<T>>;
    const hidden = new Set(declaration.hidden ?? []);
    const fieldsOf = (values: object) => values as Stored;

    const key = (values: object) => ({
      pk: requiredKey(declaration.primary.pk, fieldsOf(values), formats),
      sk: requiredKey(declaration.primary.sk, fieldsOf(values), formats),
    });

    const indexKeys = (record: T) => {
      const set: Record<string, string> = {};
      const remove: string[] = [];
      for (const template of Object.values(indexes)) {
        const names = physical(template.index);
        const pk = wholeKey(template.pk, fieldsOf(record as object), formats);
        const sk = wholeKey(template.sk, fieldsOf(record as object), formats);
        if (pk !== undefined && sk !== undefined && (template.when?.(record) ?? true)) {
          set[names.pk] = pk;
          set[names.sk] = sk;
        } else remove.push(names.pk, names.sk);
      }
      return { set, remove };
    };

    const item = (record: T, extra: Stored = {}): Stored => ({
      ...(declaration.encode ? declaration.encode(record) : fieldsOf(record as object)),
      ...extra,
      ...key(record as object),
      ...indexKeys(record).set,
      kind: declaration.kind,
    });

    const record = (stored: Stored): T => {
      // A loop, not entries → filter → fromEntries: every item of every list passes here.
      const own: Stored = {};
      for (const name of Object.keys(stored))
        if (!KEY_ATTRIBUTES.has(name) && !hidden.has(name)) own[name] = stored[name];
      return (declaration.decode ? declaration.decode(own) : own) as T;
    };

    const indexKey = (name: string, values: Partial<T>) => {
      const template = indexes[name];
      if (!template) throw new Error(`${declaration.kind} has no index ${name}`);
      const names = physical(template.index);
      const pk = requiredKey(template.pk, fieldsOf(values), formats);
      const sk = leadingKey(template.sk, fieldsOf(values), formats);
      return { [names.pk]: pk, ...(sk === undefined ? {} : { [names.sk]: sk.text }) };
    };

    const queryOf =
      (template: { index?: MainIndexName; pk: KeyTemplate; sk: KeyTemplate }) =>
      (values: object, options: QueryOptions<T, unknown> = {}) =>
        runQuery(
          {
            names: physical(template.index ?? 'primary'),
            pk: requiredKey(template.pk, fieldsOf(values), formats),
            sk: (partial: Stored) => leadingKey(template.sk, partial, formats),
            values: fieldsOf(values),
          },
          options as QueryOptions<unknown, unknown>,
        ).then((page) => ({ ...page, items: page.items.map(record) }));

    const templates: Record<string, { index?: MainIndexName; pk: KeyTemplate; sk: KeyTemplate }> = {
      primary: declaration.primary,
      ...indexes,
    };
    const query = Object.fromEntries(
      Object.entries(templates).map(([name, template]) => [name, queryOf(template)]),
    ) as unknown as EntityQueries<T, D>;
    const all = Object.fromEntries(
      Object.entries(templates).map(([name, template]) => [
        name,
        async (values: object, options: QueryOptions<T, unknown> = {}) => {
          const items: T[] = [];
          let position = options.position;
          do {
            const page = await queryOf(template)(values, { ...options, position });
            items.push(...page.items);
            position = page.next;
          } while (position !== undefined);
          return items;
        },
      ]),
    ) as unknown as Entity<T, D>['all'];

    const writes = entityWrites<T, PrimaryValues<T, D>>({
      key: (values) => key(values),
      item,
      record,
      indexKeys,
    });

    return {
      kind: declaration.kind,
      declaration,
      key,
      indexKeys,
      item,
      record,
      indexKey,
      get: async (values, options = {}) => writes.read(key(values), options.consistent ?? false),
      query,
      all,
      ...writes,
    };
  };

/**
 * One Query of Main, built from an entity's key templates: the partition, a sort-key condition
 * (leading fields, a range, or a bound), a filter, a page. The only place a KeyCondition is written.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ListPosition, Page } from '#domain/page.ts';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';
import { type Clause, Placeholders, placeholderMaps, render } from './conditions.ts';

type Stored = Record<string, unknown>;

/** A range of the sort key, by (some of) its fields: both bounds inclusive, or one bound exclusive. */
export type SortCondition<V> = { between: readonly [V, V] } | { after: V } | { before: V };

export interface QueryTarget {
  names: { indexName: string | undefined; pk: string; sk: string };
  pk: string;
  /** The sort key's leading text for some fields (undefined: neither prefix nor field). */
  sk: (values: Stored) => { text: string; exact: boolean } | undefined;
  values: Stored;
}

export interface QueryRequest {
  limit?: number;
  position?: ListPosition;
  descending?: boolean;
  where?: SortCondition<Stored>;
  filter?: readonly Clause[];
  consistent?: boolean;
  attributes?: readonly string[];
}

const sortClause = (target: QueryTarget, where: SortCondition<Stored> | undefined): Clause | undefined => {
  const sk = target.names.sk;
  const text = (values: Stored) => target.sk(values)?.text ?? '';
  if (where === undefined) {
    const leading = target.sk(target.values);
    if (leading === undefined) return undefined;
    return leading.exact
      ? (p) => `${p.name(sk)} = ${p.value(leading.text)}`
      : (p) => `begins_with(${p.name(sk)}, ${p.value(leading.text)})`;
  }
  if ('between' in where)
    return (p) =>
      `${p.name(sk)} BETWEEN ${p.value(text(where.between[0]))} AND ${p.value(text(where.between[1]))}`;
  if ('after' in where) return (p) => `${p.name(sk)} > ${p.value(text(where.after))}`;
  return (p) => `${p.name(sk)} < ${p.value(text(where.before))}`;
};

export const runQuery = async (target: QueryTarget, request: QueryRequest): Promise<Page<Stored>> => {
  const placeholders = new Placeholders('k');
  const sort = sortClause(target, request.where);
  const keyCondition = render(
    [(p) => `${p.name(target.names.pk)} = ${p.value(target.pk)}`, ...(sort ? [sort] : [])],
    placeholders,
  );
  const filter = render(request.filter ?? [], placeholders);
  const projection = request.attributes?.map((attribute) => placeholders.name(attribute)).join(', ');
  const { Items = [], LastEvaluatedKey } = await documentClient.send(
    new QueryCommand({
      TableName: requireEnv('mainTable'),
      IndexName: target.names.indexName,
      KeyConditionExpression: keyCondition,
      FilterExpression: filter,
      ProjectionExpression: projection,
      ...placeholderMaps(placeholders),
      ScanIndexForward: request.descending === true ? false : undefined,
      ConsistentRead: request.consistent,
      Limit: request.limit,
      ExclusiveStartKey: request.position,
    }),
  );
  return { items: Items, ...(LastEvaluatedKey === undefined ? {} : { next: LastEvaluatedKey }) };
};

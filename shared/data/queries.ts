/** Key conditions of the Queries lists make: a partition, and a sort-key prefix when there is one. */
export interface PrefixQuery {
  pkName: string;
  skName: string;
  pk: string;
  skPrefix?: string;
}

export interface KeyCondition {
  KeyConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

export const prefixQuery = (query: PrefixQuery): KeyCondition =>
  query.skPrefix === undefined
    ? {
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': query.pkName },
        ExpressionAttributeValues: { ':pk': query.pk },
      }
    : {
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': query.pkName, '#sk': query.skName },
        ExpressionAttributeValues: { ':pk': query.pk, ':prefix': query.skPrefix },
      };

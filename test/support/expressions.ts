/**
 * DynamoDB expressions as a reader sees them: placeholders replaced by the attribute names and
 * values they stand for, so tests assert what a request means, not how its placeholders are named.
 */
interface ExpressionInput {
  KeyConditionExpression?: string;
  ConditionExpression?: string;
  FilterExpression?: string;
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

const valueText = (value: unknown): string =>
  value instanceof Set
    ? `<<${[...value].map((item) => JSON.stringify(item)).join(', ')}>>`
    : JSON.stringify(value);

/** `#c0 = :c1` → `status = "pending"`. */
export const readable = (
  input: ExpressionInput,
  which: 'KeyConditionExpression' | 'ConditionExpression' | 'FilterExpression' | 'UpdateExpression',
): string | undefined =>
  input[which]
    ?.replace(/#\w+/g, (name) => input.ExpressionAttributeNames?.[name] ?? name)
    .replace(/:\w+/g, (value) => valueText(input.ExpressionAttributeValues?.[value]));

/** The partition a Query reads: the value its key condition binds to the first attribute. */
export const partitionOf = (input: ExpressionInput): unknown => {
  const placeholder = /^\S+ = (:\w+)/.exec(input.KeyConditionExpression ?? '')?.[1];
  return placeholder === undefined ? undefined : input.ExpressionAttributeValues?.[placeholder];
};

/** The attributes an UpdateExpression's SET gives plain values: `{ status: 'active', … }`. */
export const assigned = (input: ExpressionInput): Record<string, unknown> =>
  Object.fromEntries(
    [...(input.UpdateExpression ?? '').matchAll(/(#[\w.#]+) = (:\w+)/g)].map(([, path = '', value = '']) => [
      path
        .split('.')
        .map((name) => input.ExpressionAttributeNames?.[name] ?? name)
        .join('.'),
      input.ExpressionAttributeValues?.[value],
    ]),
  );

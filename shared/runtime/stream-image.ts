/**
 * Stream record images (DynamoDB JSON as Lambda delivers it) as plain values: S/N/BOOL/NULL,
 * maps, lists and sets (sets become arrays). Binary stays base64 text, as delivered.
 */
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { Image, ItemChange } from '#domain/realtime/frames.ts';

const plainValueOf = (value: AttributeValue): unknown => {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return imageOf(value.M);
  if (value.L !== undefined) return value.L.map(plainValueOf);
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  if (value.B !== undefined) return value.B;
  if (value.BS !== undefined) return [...value.BS];
  return undefined;
};

export const imageOf = (image: Record<string, AttributeValue>): Image =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, plainValueOf(value)]));

export const changeOf = (record: DynamoDBRecord): ItemChange => ({
  eventName: record.eventName ?? 'MODIFY',
  ...(record.dynamodb?.NewImage ? { newImage: imageOf(record.dynamodb.NewImage) } : {}),
  ...(record.dynamodb?.OldImage ? { oldImage: imageOf(record.dynamodb.OldImage) } : {}),
});

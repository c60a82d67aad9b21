/**
 * Stream record images (DynamoDB JSON as Lambda delivers it) as plain values, for every stream
 * consumer. Sets become sorted arrays and binaries stay base64 text, so an image has one JSON
 * form (what the ledger hashes); numbers that do not fit a JS number stay text rather than
 * lose digits.
 */
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { ItemChange as AuditChange } from '#domain/audit/item-changes.ts';
import type { ItemChange as RealtimeChange } from '#domain/realtime/frames.ts';
import { sourceKeyOf } from './ledger-keys.ts';

export type PlainImage = Record<string, unknown>;

const numberOf = (text: string): number | string => {
  const value = Number(text);
  return Number.isSafeInteger(value) || (!Number.isInteger(value) && Number.isFinite(value)) ? value : text;
};

const plainValue = (value: AttributeValue): unknown => {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return numberOf(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return plainImage(value.M);
  if (value.L !== undefined) return value.L.map(plainValue);
  if (value.SS !== undefined) return [...value.SS].sort();
  if (value.NS !== undefined) return value.NS.map(numberOf).sort((a, b) => Number(a) - Number(b));
  if (value.B !== undefined) return value.B;
  if (value.BS !== undefined) return [...value.BS].sort();
  return null;
};

export const plainImage = (image: Record<string, AttributeValue>): PlainImage =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, plainValue(value)]));

/** The change a stream record tells the ledger of, or undefined for a REMOVE (no new image: nothing to audit). */
export const auditChangeOf = (record: DynamoDBRecord): AuditChange | undefined => {
  const { eventID, eventName, dynamodb } = record;
  if (!eventID || (eventName !== 'INSERT' && eventName !== 'MODIFY') || !dynamodb?.NewImage) return undefined;
  const keys = dynamodb.Keys ?? {};
  const seconds = dynamodb.ApproximateCreationDateTime;
  return {
    eventId: eventID,
    eventName,
    sourceKey: sourceKeyOf({ pk: keys.pk?.S ?? '', sk: keys.sk?.S ?? '' }),
    ...(dynamodb.OldImage ? { oldImage: plainImage(dynamodb.OldImage) } : {}),
    newImage: plainImage(dynamodb.NewImage),
    observedAt: new Date(seconds ? seconds * 1000 : Date.now()).toISOString(),
  };
};

/** The change a stream record tells the real-time frames of: its images, whichever it has. */
export const realtimeChangeOf = (record: DynamoDBRecord): RealtimeChange => ({
  eventName: record.eventName ?? 'MODIFY',
  ...(record.dynamodb?.NewImage ? { newImage: plainImage(record.dynamodb.NewImage) } : {}),
  ...(record.dynamodb?.OldImage ? { oldImage: plainImage(record.dynamodb.OldImage) } : {}),
});

/** Synthetic DynamoDB stream records, as Lambda delivers them (DynamoDB JSON images). */
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

const attribute = (value: unknown): AttributeValue => {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null) return { NULL: true };
  if (value instanceof Set) return { SS: [...value] as string[] };
  if (Array.isArray(value)) return { L: value.map(attribute) };
  return { M: image(value as Record<string, unknown>) };
};

export const image = (item: Record<string, unknown>): Record<string, AttributeValue> =>
  Object.fromEntries(
    Object.entries(item)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, attribute(value)]),
  );

let sequence = 100;

export const streamRecord = (
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  newItem?: Record<string, unknown>,
  oldItem?: Record<string, unknown>,
): DynamoDBRecord => {
  sequence += 1;
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      SequenceNumber: String(sequence),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      ...(newItem ? { NewImage: image(newItem) } : {}),
      ...(oldItem ? { OldImage: image(oldItem) } : {}),
    },
  };
};

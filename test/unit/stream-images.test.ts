import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { auditChangeOf, plainImage, realtimeChangeOf } from '#data/stream-images.ts';

const record = (
  eventName: DynamoDBRecord['eventName'],
  dynamodb: DynamoDBRecord['dynamodb'],
): DynamoDBRecord => ({
  eventID: 'event-1',
  eventName,
  dynamodb: { Keys: { pk: { S: 'CONTRACT#K1' }, sk: { S: 'CONTRACT#K1' } }, ...dynamodb },
});

describe('stream images', () => {
  it('turns DynamoDB JSON into plain values with one JSON form', () => {
    // Act
    const image = plainImage({
      text: { S: 'x' },
      count: { N: '42' },
      ratio: { N: '0.5' },
      huge: { N: '12345678901234567890' },
      flag: { BOOL: true },
      nothing: { NULL: true },
      tags: { SS: ['b', 'c', 'a'] },
      sizes: { NS: ['10', '9', '100'] },
      blob: { B: 'AQI=' },
      blobs: { BS: ['Ag==', 'AQ=='] },
      nested: { M: { list: { L: [{ S: 'y' }, { N: '1' }] } } },
    });

    // Assess
    expect(image).toEqual({
      text: 'x',
      count: 42,
      ratio: 0.5,
      huge: '12345678901234567890',
      flag: true,
      nothing: null,
      tags: ['a', 'b', 'c'],
      sizes: [9, 10, 100],
      blob: 'AQI=',
      blobs: ['AQ==', 'Ag=='],
      nested: { list: ['y', 1] },
    });
  });

  it('gives the real-time frames whichever images a record has', () => {
    // Act
    const removed = realtimeChangeOf(record('REMOVE', { OldImage: { kind: { S: 'Contract' } } }));

    // Assess
    expect(removed).toEqual({ eventName: 'REMOVE', oldImage: { kind: 'Contract' } });
  });

  it('gives the ledger inserts and modifies with their source key, and nothing for a remove', () => {
    // Prepare
    const images = { NewImage: { status: { S: 'offered' } }, OldImage: { status: { S: 'draft' } } };

    // Act
    const modified = auditChangeOf(
      record('MODIFY', { ...images, ApproximateCreationDateTime: 1_772_442_000 }),
    );
    const removed = auditChangeOf(record('REMOVE', { OldImage: images.OldImage }));

    // Assess
    expect(modified).toEqual({
      eventId: 'event-1',
      eventName: 'MODIFY',
      sourceKey: 'CONTRACT#K1|CONTRACT#K1',
      oldImage: { status: 'draft' },
      newImage: { status: 'offered' },
      observedAt: new Date(1_772_442_000_000).toISOString(),
    });
    expect(removed).toBeUndefined();
  });
});

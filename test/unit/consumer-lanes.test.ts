import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createLanes, laneOf } from '../../local/consumer-lanes.ts';
import type { ConsumerQueue } from '../../local/consumer-queue.ts';

const record = (pk: string, seq: number): DynamoDBRecord => ({
  eventID: `${pk}-${seq}`,
  dynamodb: { Keys: { pk: { S: pk }, sk: { S: pk } }, SequenceNumber: String(seq) },
});

/** Lanes that only record what they were handed, in order. */
const recordingLanes = () => {
  const lanes: string[][] = [];
  const create = (): ConsumerQueue => {
    const seen: string[] = [];
    lanes.push(seen);
    return {
      push: (records) => seen.push(...records.map((each) => each.eventID ?? '')),
      idle: () => seen.length === 0,
      done: async () => undefined,
    };
  };
  return { lanes, create };
};

describe('consumer lanes (ParallelizationFactor)', () => {
  it('keeps every record of one key on one lane, in stream order', () => {
    // Prepare
    const { lanes, create } = recordingLanes();
    const queue = createLanes(4, create);
    const keys = ['CONTRACT#1', 'CONTRACT#2', 'CONV#9', 'STAFF#3', 'CRED#7', 'APPT#5'];
    // Act
    queue.push(keys.flatMap((key) => [record(key, 1), record(key, 2)]));
    queue.push(keys.map((key) => record(key, 3)));
    // Assess
    for (const key of keys) {
      const lane = lanes[laneOf(record(key, 1), 4)] ?? [];
      expect(lane.filter((id) => id.startsWith(`${key}-`))).toEqual([`${key}-1`, `${key}-2`, `${key}-3`]);
      expect(lanes.filter((other) => other.some((id) => id.startsWith(`${key}-`)))).toHaveLength(1);
    }
  });

  it('spreads different keys over the lanes', () => {
    // Prepare
    const { lanes, create } = recordingLanes();
    const queue = createLanes(4, create);
    // Act
    queue.push(Array.from({ length: 64 }, (_, index) => record(`CONTRACT#${index}`, 1)));
    // Assess
    expect(lanes).toHaveLength(4);
    for (const lane of lanes) expect(lane.length).toBeGreaterThan(0);
    expect(queue.idle()).toBe(false);
  });

  it('is one plain queue with a factor of one', () => {
    const { lanes, create } = recordingLanes();
    createLanes(1, create).push([record('A', 1), record('B', 1)]);
    expect(lanes).toEqual([['A-1', 'B-1']]);
  });
});

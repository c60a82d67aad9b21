/**
 * Lambda's ParallelizationFactor for the twin: a consumer's records are spread over `count`
 * queues by their partition key, so one key's records stay in stream order on one lane while
 * different keys are delivered concurrently — as AWS runs up to ten batches per shard.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ConsumerQueue } from './consumer-queue.ts';

/** The lane of a record: a stable hash of its partition key. */
export const laneOf = (record: DynamoDBRecord, count: number): number => {
  const key = record.dynamodb?.Keys?.pk?.S ?? '';
  return createHash('sha1').update(key).digest().readUInt32BE(0) % count;
};

/** One queue that spreads its records over `count` lanes, each an ordinary consumer queue. */
export const createLanes = (count: number, createLane: () => ConsumerQueue): ConsumerQueue => {
  const lanes = Array.from({ length: Math.max(1, count) }, createLane);
  return {
    push: (records) => {
      const byLane = lanes.map((): DynamoDBRecord[] => []);
      for (const record of records) byLane[laneOf(record, lanes.length)]?.push(record);
      byLane.forEach((laneRecords, index) => {
        if (laneRecords.length > 0) lanes[index]?.push(laneRecords);
      });
    },
    idle: () => lanes.every((lane) => lane.idle()),
    done: async () => {
      await Promise.all(lanes.map((lane) => lane.done()));
    },
  };
};

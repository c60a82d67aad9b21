import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_TABLE } from '#data/tables.ts';
import type { StreamConsumerDefinition } from '#shared/functions.ts';
import { type DeadBatch, redrive, startStreamPoller } from '../../local/stream-poller.ts';
import { ensureTable } from '../../local/tables.ts';
import { removeTestDirs, startTestDynamoDb, testDir } from './helpers.ts';

const tableName = 'StreamPollerTest';
let ddb: Awaited<ReturnType<typeof startTestDynamoDb>>;
let streamArn: string;

const consumerDefinition = (kinds: string[], batchSize = 4): StreamConsumerDefinition => ({
  entry: 'test/integration/stream-poller.test.ts',
  description: 'test consumer',
  access: [],
  kinds,
  batchSize,
  maxBatchingWindowSeconds: 0,
  retryAttempts: 2,
  parallelization: 1,
});

const put = (pk: string, sk: string, kind: string, extra: Record<string, { S: string }> = {}) =>
  ddb.client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: { pk: { S: pk }, sk: { S: sk }, kind: { S: kind }, ...extra },
    }),
  );

const skOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.sk?.S ?? '?';
const isPoison = (record: DynamoDBRecord) => record.dynamodb?.NewImage?.poison !== undefined;
const readDlq = (dir: string, name: string): DeadBatch[] => {
  const file = join(dir, `${name}.jsonl`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DeadBatch);
};

beforeAll(async () => {
  ddb = await startTestDynamoDb('stream-poller');
  const table = await ensureTable(ddb.client, MAIN_TABLE, tableName);
  if (!table.streamArn) throw new Error('the table has no stream');
  streamArn = table.streamArn;
});

afterAll(async () => {
  removeTestDirs();
  await ddb?.stop();
});

describe('stream poller', () => {
  it('delivers the kinds each consumer filters on, in order, in Lambda-shaped batches', async () => {
    const things: DynamoDBRecord[] = [];
    const others: DynamoDBRecord[] = [];
    const batchSizes: number[] = [];
    const poller = await startStreamPoller({
      dynamodbEndpoint: ddb.endpoint,
      streamArn,
      dlqDir: testDir('dlq'),
      region: 'eu-west-1',
      consumers: [
        {
          name: 'things',
          definition: consumerDefinition(['Thing'], 3),
          handler: async (event: DynamoDBStreamEvent) => {
            batchSizes.push(event.Records.length);
            things.push(...event.Records);
          },
        },
        {
          name: 'others',
          definition: consumerDefinition(['Other']),
          handler: async (e) => void others.push(...e.Records),
        },
      ],
    });
    try {
      for (let i = 0; i < 10; i++) await put('order', `item-${i}`, i % 2 === 0 ? 'Thing' : 'Other');
      // A Thing turned into an Other is an Other now (the filter reads NewImage); a REMOVE has no NewImage.
      await ddb.client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: 'order' }, sk: { S: 'item-0' } },
          UpdateExpression: 'SET kind = :k',
          ExpressionAttributeValues: { ':k': { S: 'Other' } },
        }),
      );
      await ddb.client.send(
        new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: 'order' }, sk: { S: 'item-2' } } }),
      );
      await put('order', 'untyped', 'Idempotency');
      await poller.idle();
    } finally {
      await poller.stop();
    }

    expect(things.map(skOf)).toEqual(['item-0', 'item-2', 'item-4', 'item-6', 'item-8']);
    expect(others.map(skOf)).toEqual(['item-1', 'item-3', 'item-5', 'item-7', 'item-9', 'item-0']);
    expect(others.at(-1)?.eventName).toBe('MODIFY');
    expect(others.at(-1)?.dynamodb?.OldImage?.kind?.S).toBe('Thing');
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(3);
    const first = things[0];
    expect(first).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: streamArn,
      awsRegion: 'eu-west-1',
      dynamodb: {
        Keys: { pk: { S: 'order' }, sk: { S: 'item-0' } },
        NewImage: { kind: { S: 'Thing' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(typeof first?.eventID).toBe('string');
    expect(typeof first?.dynamodb?.SequenceNumber).toBe('string');
    expect(typeof first?.dynamodb?.ApproximateCreationDateTime).toBe('number');
  });

  it('retries a failing record retryAttempts times, dead-letters it, delivers the rest, and redrives it', async () => {
    const dlqDir = testDir('dlq');
    let cured = false;
    const poisonAttempts = { throwing: 0, reporting: 0 };
    const delivered = { throwing: [] as string[], reporting: [] as string[] };
    const batches = { throwing: [] as string[][], reporting: [] as string[][] };

    // Fails the whole invocation, so the poller bisects; it commits only when it succeeds.
    const throwing = async (event: DynamoDBStreamEvent) => {
      batches.throwing.push(event.Records.map(skOf));
      if (event.Records.some(isPoison) && !cured) {
        poisonAttempts.throwing += 1;
        throw new Error('poison record');
      }
      delivered.throwing.push(...event.Records.map(skOf));
    };
    // Reports the failing record, as the audit consumer does with Powertools.
    const reporting = (event: DynamoDBStreamEvent) => {
      batches.reporting.push(event.Records.map(skOf));
      return processPartialResponse(
        event,
        async (record: DynamoDBRecord) => {
          if (isPoison(record) && !cured) {
            poisonAttempts.reporting += 1;
            throw new Error('poison record');
          }
          delivered.reporting.push(skOf(record));
        },
        new BatchProcessor(EventType.DynamoDBStreams),
        { processInParallel: false },
      );
    };

    // Written before the poller starts and read from the stream's start, so they arrive together
    // and the first batch holds four records (a kind of their own keeps earlier records out).
    for (const sk of ['t1', 't2', 'p', 't3', 't4']) {
      await put('retry', sk, 'Retry', sk === 'p' ? { poison: { S: 'yes' } } : {});
    }
    const poller = await startStreamPoller({
      dynamodbEndpoint: ddb.endpoint,
      streamArn,
      dlqDir,
      startingPosition: 'TRIM_HORIZON',
      retryBaseDelayMs: 10,
      onError: () => undefined,
      consumers: [
        { name: 'throwing', definition: consumerDefinition(['Retry']), handler: throwing },
        { name: 'reporting', definition: consumerDefinition(['Retry']), handler: reporting },
      ],
    });
    try {
      await poller.idle();
    } finally {
      await poller.stop();
    }

    for (const name of ['throwing', 'reporting'] as const) {
      expect(poisonAttempts[name], name).toBe(1 + 2);
      const dead = readDlq(dlqDir, name);
      expect(
        dead.map((batch) => batch.records.map(skOf)),
        name,
      ).toEqual([['p']]);
      expect(dead[0]?.attempts).toBe(3);
      expect(dead[0]?.error).toContain(name === 'throwing' ? 'poison record' : 'batchItemFailures');
    }
    // A thrown error bisects the batch until the failing record is alone; the others are delivered once.
    expect(batches.throwing).toEqual([
      ['t1', 't2', 'p', 't3'],
      ['t1', 't2'],
      ['p', 't3'],
      ['p'],
      ['t3'],
      ['t4'],
    ]);
    expect(delivered.throwing).toEqual(['t1', 't2', 't3', 't4']);
    // A reported failure checkpoints before the failed record; what follows it is redelivered (as in AWS).
    expect(batches.reporting).toEqual([['t1', 't2', 'p', 't3'], ['p', 't3'], ['p', 't3'], ['t3'], ['t4']]);
    expect(delivered.reporting).toEqual(['t1', 't2', 't3', 't3', 't3', 't3', 't4']);

    // Still failing: the batch stays in the file.
    expect(await redrive({ name: 'throwing', handler: throwing, dlqDir })).toEqual({
      replayed: 0,
      failed: 1,
    });
    expect(readDlq(dlqDir, 'throwing')).toHaveLength(1);

    cured = true;
    for (const name of ['throwing', 'reporting'] as const) {
      const handler = name === 'throwing' ? throwing : reporting;
      expect(await redrive({ name, handler, dlqDir })).toEqual({ replayed: 1, failed: 0 });
      expect(readDlq(dlqDir, name)).toEqual([]);
      expect(delivered[name].at(-1)).toBe('p');
    }
  });
});

/**
 * The raw DynamoDB Local ceilings the routes rest on, measured in the same run as the routes
 * (FACTS.md's table was measured on another day): GetItem, a Query of 20 items of ~450 B, a
 * conditional PutItem and a 2-item TransactWrite, at 10 and 50 concurrent callers, 2 s warm-up
 * then 10 s, on a DynamoDB Local started as the twin starts it and warmed as the twin is
 * (bench/warm-up.ts).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { MAIN_TABLE } from '#data/tables.ts';
import { startDynamoDbLocal } from '../local/dynamodb.ts';
import { freePort } from '../local/free-port.ts';
import { LOCAL_REGION, localCredentials } from '../local/local-aws.ts';
import { ensureTable } from '../local/tables.ts';
import { ROOT } from '../test/support/twin-process.ts';
import { benchSeconds } from './scale.ts';
import { WARM_UP_SECONDS } from './warm-up.ts';

export interface RawFigure {
  operation: string;
  concurrency: number;
  opsPerSecond: number;
  p99Ms: number;
}

const TABLE = 'bench-raw';
const PAYLOAD = 'x'.repeat(400);

// Unique keys across every run of an operation (conditional puts must not collide).
let sequence = 0;

const measure = async (concurrency: number, seconds: number, operation: (n: number) => Promise<unknown>) => {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        await operation(sequence++);
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    opsPerSecond: latencies.length / seconds,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
  };
};

export const measureRawDynamoDb = async (): Promise<RawFigure[]> => {
  const dir = join(ROOT, '.data', 'bench', `raw-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const dynamodb = await startDynamoDbLocal({ port, logFile: join(dir, 'dynamodb.log') });
  try {
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: LOCAL_REGION,
      credentials: localCredentials,
      requestHandler: { httpAgent: { keepAlive: true } },
    });
    // The Main table's definition without its stream (the twin's stream poller is not part of the ceiling).
    await ensureTable(client, { ...MAIN_TABLE, stream: undefined }, TABLE);
    const documents = DynamoDBDocumentClient.from(client);
    for (let i = 0; i < 20; i++) {
      await documents.send(
        new PutCommand({ TableName: TABLE, Item: { pk: 'LIST', sk: `ITEM#${i}`, payload: PAYLOAD } }),
      );
    }
    const operations: Array<[string, (n: number) => Promise<unknown>]> = [
      [
        'GetItem',
        () => documents.send(new GetCommand({ TableName: TABLE, Key: { pk: 'LIST', sk: 'ITEM#0' } })),
      ],
      [
        'Query, 20 items of ~450 B',
        () =>
          documents.send(
            new QueryCommand({
              TableName: TABLE,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': 'LIST' },
            }),
          ),
      ],
      [
        'conditional PutItem',
        (n) =>
          documents.send(
            new PutCommand({
              TableName: TABLE,
              Item: { pk: `PUT#${process.pid}#${n}`, sk: 'A', payload: PAYLOAD },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
      ],
      [
        'TransactWrite, 2 items',
        (n) =>
          documents.send(
            new TransactWriteCommand({
              TransactItems: ['A', 'B'].map((sk) => ({
                Put: { TableName: TABLE, Item: { pk: `TX#${process.pid}#${n}`, sk, payload: PAYLOAD } },
              })),
            }),
          ),
      ],
    ];
    // Warm, as the twin is measured (bench/warm-up.ts): the JVM compiles its hot paths first.
    for (const [, operation] of operations) {
      await measure(10, benchSeconds(WARM_UP_SECONDS / operations.length), operation);
    }
    const figures: RawFigure[] = [];
    for (const [name, operation] of operations) {
      for (const concurrency of [10, 50]) {
        await measure(concurrency, benchSeconds(2), operation);
        figures.push({
          operation: name,
          concurrency,
          ...(await measure(concurrency, benchSeconds(10), operation)),
        });
      }
    }
    return figures;
  } finally {
    await dynamodb.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import { type Clock, realClock } from './clock.ts';
import { createLanes } from './consumer-lanes.ts';
import { type ConsumerQueue, createConsumerQueue, type StreamConsumer } from './consumer-queue.ts';
import type { DeadBatch } from './stream-records.ts';
import { createShardReader, type ShardReader } from './stream-shards.ts';

export type { StreamConsumer } from './consumer-queue.ts';
export type { DeadBatch, StreamHandler } from './stream-records.ts';
export { redrive } from './stream-records.ts';

export interface StreamPollerOptions {
  dynamodbEndpoint: string;
  streamArn: string;
  consumers: readonly StreamConsumer[];
  /** Dead batches go to `<dlqDir>/<consumer>.jsonl`. */
  dlqDir: string;
  /** Pause between polls that found nothing. */
  pollIntervalMs?: number;
  /** Where reading starts on the shards open at start (AWS: the event source's starting position). */
  startingPosition?: 'LATEST' | 'TRIM_HORIZON';
  /** DynamoDB Local accepts any key, but only letters and digits in its id. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** `awsRegion` of the records (DynamoDB Local reports "ddblocal"). */
  region?: string;
  /** First retry delay; it doubles per failure of the same record, up to 2 s. */
  retryBaseDelayMs?: number;
  onError?: (message: string, error: unknown) => void;
}

export interface RunningStreamPoller {
  /** Resolves once a poll that began after the call found nothing new and every consumer is done. */
  idle: (timeoutMs?: number) => Promise<void>;
  stop: () => Promise<void>;
}

/** How often the shard list is described again while no shard closes. */
const REDESCRIBE_MS = 10_000;
const READ_RETRY_MS = 1_000;

/** Numbered passes over the shards; idle() waits for an empty one that began after its call. */
interface Passes {
  started: number;
  lastEmpty: number;
}

interface PollLoop {
  reader: ShardReader;
  queues: readonly ConsumerQueue[];
  passes: Passes;
  pollIntervalMs: number;
  clock: Clock;
  signal: AbortSignal;
  onError: (message: string, error: unknown) => void;
}

const pollShards = async ({ reader, queues, passes, pollIntervalMs, clock, signal, onError }: PollLoop) => {
  let describedAt = clock.now();
  while (!signal.aborted) {
    const pass = ++passes.started;
    let received = 0;
    let rediscover = clock.now() - describedAt > REDESCRIBE_MS;
    const feed = (records: DynamoDBRecord[]) => {
      received += records.length;
      for (const queue of queues) queue.push(records);
    };
    try {
      if ((await reader.readPass(feed)).closedShard) rediscover = true;
      if (rediscover) {
        // Shards opened after start are read from their beginning, as Lambda reads children.
        await reader.discover('TRIM_HORIZON');
        describedAt = clock.now();
      } else if (received === 0) {
        passes.lastEmpty = pass;
      }
    } catch (error) {
      // An expired iterator is fetched again after the last record seen.
      reader.forgetIterators();
      onError('reading the stream failed; retrying', error);
      await clock.sleep(READ_RETRY_MS, signal);
    }
    if (received === 0) await clock.sleep(pollIntervalMs, signal);
  }
};

const appendDeadBatch = (dlqDir: string) => (batch: DeadBatch) =>
  appendFileSync(join(dlqDir, `${batch.consumer}.jsonl`), `${JSON.stringify(batch)}\n`);

/**
 * Feeds the stream consumers as Lambda's event source mappings do (see consumer-queue.ts), one
 * queue per consumer, from one reader of the stream's shards.
 */
export const startStreamPoller = async (options: StreamPollerOptions): Promise<RunningStreamPoller> => {
  const clock = realClock;
  const onError = options.onError ?? ((message, error) => console.error(`[stream-poller] ${message}`, error));
  const stopping = new AbortController();
  mkdirSync(options.dlqDir, { recursive: true });
  const queues = options.consumers.map((consumer) =>
    createLanes(consumer.definition.parallelization, () =>
      createConsumerQueue({
        consumer,
        clock,
        retryBaseDelayMs: options.retryBaseDelayMs ?? 50,
        deadLetter: appendDeadBatch(options.dlqDir),
        onError,
        signal: stopping.signal,
      }),
    ),
  );
  const reader = createShardReader({
    endpoint: options.dynamodbEndpoint,
    streamArn: options.streamArn,
    credentials: options.credentials ?? { accessKeyId: 'local', secretAccessKey: 'local' },
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
  });
  await reader.discover(options.startingPosition ?? 'LATEST');
  // Positioned before returning: a write made right after start is never missed.
  await reader.positionOpenShards();
  const passes: Passes = { started: 0, lastEmpty: 0 };
  const pollIntervalMs = options.pollIntervalMs ?? 20;
  const polling = pollShards({
    reader,
    queues,
    passes,
    pollIntervalMs,
    clock,
    signal: stopping.signal,
    onError,
  });

  return {
    idle: async (timeoutMs = 30_000) => {
      const calledAt = clock.now();
      const after = passes.started;
      while (!(passes.lastEmpty > after && queues.every((queue) => queue.idle()))) {
        if (clock.now() - calledAt > timeoutMs)
          throw new Error(`stream poller not idle after ${timeoutMs} ms`);
        await clock.sleep(5);
      }
    },
    stop: async () => {
      stopping.abort();
      await polling;
      await Promise.all(queues.map((queue) => queue.done()));
      reader.destroy();
    },
  };
};

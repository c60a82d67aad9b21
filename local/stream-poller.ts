import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamConsumerDefinition } from '#shared/functions.ts';
import { type DeadBatch, invoke, matches, type StreamHandler, toLambdaRecord } from './stream-records.ts';

export type { DeadBatch, StreamHandler } from './stream-records.ts';
export { redrive } from './stream-records.ts';

export interface StreamConsumer {
  name: string;
  definition: StreamConsumerDefinition;
  handler: StreamHandler;
}

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

interface Pending {
  record: DynamoDBRecord;
  failures: number;
  error?: string;
}

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });

/**
 * Feeds the stream consumers as Lambda's event source mappings do: the same filter, batches
 * up to batchSize, ReportBatchItemFailures, bisect on error, retryAttempts retries per
 * record, then the record's batch goes to the dead-letter file. Records stay in order per consumer.
 */
export const startStreamPoller = async (options: StreamPollerOptions): Promise<RunningStreamPoller> => {
  const client = new DynamoDBStreamsClient({
    endpoint: options.dynamodbEndpoint,
    region: 'us-east-1',
    credentials: options.credentials ?? { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const pollIntervalMs = options.pollIntervalMs ?? 20;
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 50;
  const onError = options.onError ?? ((message, error) => console.error(`[stream-poller] ${message}`, error));
  const stopping = new AbortController();
  mkdirSync(options.dlqDir, { recursive: true });

  const workers = options.consumers.map((consumer) => {
    const queue: Pending[] = [];
    // Sizes of the batches still owed from a bisect or a checkpoint, front first.
    const plan: number[] = [];
    const exhausted = (entry: Pending) => entry.failures > consumer.definition.retryAttempts;
    const consume = (count: number) => {
      let left = count;
      while (left > 0 && plan.length > 0) {
        const head = plan[0] ?? 0;
        if (head <= left) {
          left -= head;
          plan.shift();
        } else {
          plan[0] = head - left;
          left = 0;
        }
      }
    };
    const deadLetter = (entries: Pending[]) => {
      const line: DeadBatch = {
        consumer: consumer.name,
        at: new Date().toISOString(),
        error: entries[0]?.error ?? 'unknown',
        attempts: entries[0]?.failures ?? 0,
        records: entries.map((entry) => entry.record),
      };
      appendFileSync(join(options.dlqDir, `${consumer.name}.jsonl`), `${JSON.stringify(line)}\n`);
      onError(
        `${consumer.name}: ${entries.length} record(s) dead-lettered after ${line.attempts} attempts`,
        line.error,
      );
    };

    const step = async () => {
      const dead = queue.findIndex((entry) => !exhausted(entry));
      const deadCount = dead === -1 ? queue.length : dead;
      if (deadCount > 0) {
        deadLetter(queue.splice(0, deadCount));
        consume(deadCount);
        return;
      }
      const limit = Math.min(plan[0] ?? consumer.definition.batchSize, queue.length);
      const firstExhausted = queue.findIndex((entry, i) => i < limit && exhausted(entry));
      const size = firstExhausted === -1 ? limit : firstExhausted;
      const batch = queue.slice(0, size);
      const outcome = await invoke(
        consumer.name,
        consumer.handler,
        batch.map((entry) => entry.record),
      );
      if (outcome.ok) {
        queue.splice(0, size);
        consume(size);
        return;
      }
      queue.splice(0, outcome.checkpoint);
      consume(outcome.checkpoint);
      let worst = 0;
      for (const index of outcome.failed) {
        const entry = batch[index];
        if (!entry) continue;
        entry.failures += 1;
        entry.error = outcome.error;
        worst = Math.max(worst, entry.failures);
      }
      const rest = size - outcome.checkpoint;
      consume(rest);
      if (outcome.thrown && rest > 1) plan.unshift(Math.ceil(rest / 2), Math.floor(rest / 2));
      else plan.unshift(rest);
      await pause(Math.min(retryBaseDelayMs * 2 ** (worst - 1), 2_000), stopping.signal);
    };

    let running: Promise<void> | undefined;
    const wake = () => {
      running ??= (async () => {
        try {
          while (queue.length > 0 && !stopping.signal.aborted) await step();
        } catch (error) {
          onError(`${consumer.name}: delivery failed`, error);
        } finally {
          running = undefined;
        }
      })();
    };
    return {
      push: (records: DynamoDBRecord[]) => {
        const selected = records.filter((record) => matches(consumer.definition, record));
        for (const record of selected) queue.push({ record, failures: 0 });
        if (selected.length > 0) wake();
      },
      idle: () => queue.length === 0 && running === undefined,
      done: () => running ?? Promise.resolve(),
    };
  });

  interface ShardState {
    parent?: string;
    iterator?: string;
    position: ShardIteratorType;
    last?: string;
    closed: boolean;
  }
  const shards = new Map<string, ShardState>();
  const discover = async (position: ShardIteratorType) => {
    let start: string | undefined;
    do {
      const { StreamDescription } = await client.send(
        new DescribeStreamCommand({ StreamArn: options.streamArn, ExclusiveStartShardId: start }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || shards.has(shard.ShardId)) continue;
        shards.set(shard.ShardId, { parent: shard.ParentShardId, position, closed: false });
      }
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
  };
  const readable = () =>
    [...shards.entries()].filter(
      ([, shard]) => !shard.closed && !(shard.parent && shards.get(shard.parent)?.closed === false),
    );

  const acquire = async (shardId: string, shard: ShardState) => {
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamArn: options.streamArn,
        ShardId: shardId,
        ShardIteratorType: shard.last ? 'AFTER_SEQUENCE_NUMBER' : shard.position,
        SequenceNumber: shard.last,
      }),
    );
    shard.iterator = ShardIterator;
  };

  // Numbered passes over the shards; idle() waits for an empty one that began after its call.
  let passes = 0;
  let lastEmptyPass = 0;
  const poll = async () => {
    let describedAt = Date.now();
    while (!stopping.signal.aborted) {
      const pass = ++passes;
      let received = 0;
      let rediscover = Date.now() - describedAt > 10_000;
      try {
        for (const [shardId, shard] of readable()) {
          if (!shard.iterator) await acquire(shardId, shard);
          const { Records = [], NextShardIterator } = await client.send(
            new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }),
          );
          shard.iterator = NextShardIterator;
          if (!NextShardIterator) {
            shard.closed = true;
            rediscover = true;
          }
          shard.last = Records.at(-1)?.dynamodb?.SequenceNumber ?? shard.last;
          received += Records.length;
          const records = Records.map((record) => toLambdaRecord(record, options.streamArn, region));
          for (const worker of workers) worker.push(records);
        }
        if (rediscover) {
          // Shards opened after start are read from their beginning, as Lambda reads children.
          await discover('TRIM_HORIZON');
          describedAt = Date.now();
        } else if (received === 0) {
          lastEmptyPass = pass;
        }
      } catch (error) {
        // An expired iterator is fetched again after the last record seen.
        for (const shard of shards.values()) shard.iterator = undefined;
        onError('reading the stream failed; retrying', error);
        await pause(1_000, stopping.signal);
      }
      if (received === 0) await pause(pollIntervalMs, stopping.signal);
    }
  };

  await discover(options.startingPosition ?? 'LATEST');
  // Positioned before returning: a write made right after start is never missed.
  for (const [shardId, shard] of shards) if (!shard.closed) await acquire(shardId, shard);
  const polling = poll();

  return {
    idle: async (timeoutMs = 30_000) => {
      const calledAt = Date.now();
      const after = passes;
      while (!(lastEmptyPass > after && workers.every((worker) => worker.idle()))) {
        if (Date.now() - calledAt > timeoutMs)
          throw new Error(`stream poller not idle after ${timeoutMs} ms`);
        await pause(5);
      }
    },
    stop: async () => {
      stopping.abort();
      await polling;
      await Promise.all(workers.map((worker) => worker.done()));
      client.destroy();
    },
  };
};

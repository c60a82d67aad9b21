/**
 * One stream consumer's queue, as Lambda's event source mapping feeds it: the event source's
 * filter, batches up to batchSize, ReportBatchItemFailures, bisect on error, retryAttempts
 * retries per record, then the record's batch is dead-lettered. Records stay in stream order.
 * No I/O of its own: the handler, the clock and the dead-letter sink are handed in.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamConsumerDefinition } from '#shared/functions.ts';
import type { Clock } from './clock.ts';
import { type DeadBatch, type Failure, invoke, matches, type StreamHandler } from './stream-records.ts';

export interface StreamConsumer {
  name: string;
  definition: StreamConsumerDefinition;
  handler: StreamHandler;
}

export interface QueueEntry {
  record: DynamoDBRecord;
  failures: number;
  error?: string;
}

export interface QueueState {
  entries: QueueEntry[];
  /** Sizes of the batches still owed from a bisect or a checkpoint, front first. */
  owed: number[];
}

export type QueueStep =
  | { kind: 'dead-letter'; entries: QueueEntry[] }
  | { kind: 'deliver'; batch: QueueEntry[] };

type Limits = Pick<StreamConsumerDefinition, 'batchSize' | 'retryAttempts'>;

const MAX_RETRY_DELAY_MS = 2_000;

const exhausted = (entry: QueueEntry, limits: Limits) => entry.failures > limits.retryAttempts;

/** Counts `count` records off the front of the owed batch sizes. */
const payOwed = (owed: number[], count: number) => {
  let left = count;
  while (left > 0 && owed.length > 0) {
    const head = owed[0] ?? 0;
    if (head <= left) {
      left -= head;
      owed.shift();
    } else {
      owed[0] = head - left;
      left = 0;
    }
  }
};

/**
 * What the queue does next: dead-letter the records at its front that used up their retries
 * (together, as one batch), or deliver the owed batch, cut short before a record out of retries.
 */
export const nextStep = (state: QueueState, limits: Limits): QueueStep | undefined => {
  if (state.entries.length === 0) return undefined;
  const live = state.entries.findIndex((entry) => !exhausted(entry, limits));
  const deadCount = live === -1 ? state.entries.length : live;
  if (deadCount > 0) return { kind: 'dead-letter', entries: state.entries.slice(0, deadCount) };
  const limit = Math.min(state.owed[0] ?? limits.batchSize, state.entries.length);
  const firstExhausted = state.entries.findIndex((entry, i) => i < limit && exhausted(entry, limits));
  return { kind: 'deliver', batch: state.entries.slice(0, firstExhausted === -1 ? limit : firstExhausted) };
};

/** Drops the first `count` records: delivered or dead-lettered. */
export const settle = (state: QueueState, count: number) => {
  state.entries.splice(0, count);
  payOwed(state.owed, count);
};

/**
 * Applies a failed delivery of `batch` (the queue's front): what precedes the checkpoint is
 * done, each failed record counts a failure, and the rest is owed again, halved when the
 * handler threw. Returns the most failures any failed record now has.
 */
export const recordFailure = (state: QueueState, batch: QueueEntry[], failure: Failure): number => {
  settle(state, failure.checkpoint);
  let worst = 0;
  for (const index of failure.failed) {
    const entry = batch[index];
    if (!entry) continue;
    entry.failures += 1;
    entry.error = failure.error;
    worst = Math.max(worst, entry.failures);
  }
  const rest = batch.length - failure.checkpoint;
  payOwed(state.owed, rest);
  if (failure.thrown && rest > 1) state.owed.unshift(Math.ceil(rest / 2), Math.floor(rest / 2));
  else state.owed.unshift(rest);
  return worst;
};

/** The pause before a retry: doubles per failure of the same record, up to 2 s. */
export const retryDelayMs = (failures: number, baseMs: number) =>
  Math.min(baseMs * 2 ** (failures - 1), MAX_RETRY_DELAY_MS);

export interface ConsumerQueueOptions {
  consumer: StreamConsumer;
  clock: Clock;
  retryBaseDelayMs: number;
  /** Stores one dead batch (the twin appends it to `<dlqDir>/<consumer>.jsonl`). */
  deadLetter: (batch: DeadBatch) => void;
  onError: (message: string, error: unknown) => void;
  /** Stops delivery after the current invocation and cuts a retry pause short. */
  signal: AbortSignal;
}

export interface ConsumerQueue {
  /** Queues the records the consumer's filter selects, in order, and starts delivering them. */
  push: (records: DynamoDBRecord[]) => void;
  /** True when nothing is queued and no delivery runs. */
  idle: () => boolean;
  /** Resolves when the running delivery (if any) has finished. */
  done: () => Promise<void>;
}

export const createConsumerQueue = (options: ConsumerQueueOptions): ConsumerQueue => {
  const { consumer, clock, signal } = options;
  const state: QueueState = { entries: [], owed: [] };

  const deadLetter = (entries: QueueEntry[]) => {
    settle(state, entries.length);
    const batch: DeadBatch = {
      consumer: consumer.name,
      at: new Date(clock.now()).toISOString(),
      error: entries[0]?.error ?? 'unknown',
      attempts: entries[0]?.failures ?? 0,
      records: entries.map((entry) => entry.record),
    };
    options.deadLetter(batch);
    options.onError(
      `${consumer.name}: ${entries.length} record(s) dead-lettered after ${batch.attempts} attempts`,
      batch.error,
    );
  };

  const deliver = async (batch: QueueEntry[]) => {
    const records = batch.map((entry) => entry.record);
    const outcome = await invoke(consumer.name, consumer.handler, records);
    if (outcome.ok) return settle(state, batch.length);
    const worst = recordFailure(state, batch, outcome);
    await clock.sleep(retryDelayMs(worst, options.retryBaseDelayMs), signal);
  };

  const takeStep = async () => {
    const step = nextStep(state, consumer.definition);
    if (step?.kind === 'dead-letter') deadLetter(step.entries);
    else if (step) await deliver(step.batch);
  };

  let running: Promise<void> | undefined;
  const wake = () => {
    running ??= (async () => {
      try {
        while (state.entries.length > 0 && !signal.aborted) await takeStep();
      } catch (error) {
        options.onError(`${consumer.name}: delivery failed`, error);
      } finally {
        running = undefined;
      }
    })();
  };

  return {
    push: (records) => {
      const selected = records.filter((record) => matches(consumer.definition, record));
      for (const record of selected) state.entries.push({ record, failures: 0 });
      if (selected.length > 0) wake();
    },
    idle: () => state.entries.length === 0 && running === undefined,
    done: () => running ?? Promise.resolve(),
  };
};

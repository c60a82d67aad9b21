import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { StreamConsumerDefinition } from '#shared/functions.ts';
import type { Clock } from '../../local/clock.ts';
import { createConsumerQueue } from '../../local/consumer-queue.ts';
import type { DeadBatch, StreamHandler } from '../../local/stream-records.ts';
import { streamRecord } from './support/stream-records.ts';

const START = Date.parse('2026-03-02T09:00:00.000Z');

/** Time moves only when the queue sleeps, by exactly what it asked for. */
const fakeClock = () => {
  let now = START;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  return { clock, sleeps };
};

const definition = (batchSize: number, retryAttempts: number): StreamConsumerDefinition => ({
  entry: 'test/unit/consumer-queue.test.ts',
  description: 'test consumer',
  access: [],
  kinds: ['Thing'],
  batchSize,
  maxBatchingWindowSeconds: 0,
  retryAttempts,
  parallelization: 1,
});

const thing = (sk: string) => streamRecord('INSERT', { pk: 'q', sk, kind: 'Thing' });
const things = (...sks: string[]) => sks.map(thing);
const skOf = (record: DynamoDBRecord) => record.dynamodb?.NewImage?.sk?.S ?? '?';
const isPoison = (record: DynamoDBRecord) => skOf(record).startsWith('p');

/** Runs a queue with a fake clock and records every batch its handler is given. */
const queueWith = (
  respond: (records: DynamoDBRecord[], call: number) => unknown,
  { batchSize = 4, retryAttempts = 2, stopping = new AbortController() } = {},
) => {
  const { clock, sleeps } = fakeClock();
  const batches: string[][] = [];
  const dead: DeadBatch[] = [];
  const errors: string[] = [];
  const handler: StreamHandler = async (event) => {
    batches.push(event.Records.map(skOf));
    return respond(event.Records, batches.length);
  };
  const queue = createConsumerQueue({
    consumer: { name: 'things', definition: definition(batchSize, retryAttempts), handler },
    clock,
    retryBaseDelayMs: 10,
    deadLetter: (batch) => dead.push(batch),
    onError: (message) => errors.push(message),
    signal: stopping.signal,
  });
  return { queue, batches, sleeps, dead, errors };
};

const throwOnPoison = (records: DynamoDBRecord[]) => {
  if (records.some(isPoison)) throw new Error('poison record');
};

const reportPoison = (records: DynamoDBRecord[]): DynamoDBBatchResponse => ({
  batchItemFailures: records
    .filter(isPoison)
    .map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' })),
});

describe('consumer queue', () => {
  it('delivers the records its filter selects, in stream order, in batches of batchSize', async () => {
    // Prepare
    const { queue, batches, sleeps, dead } = queueWith(() => undefined, { batchSize: 3 });
    const other = streamRecord('INSERT', { pk: 'q', sk: 'other', kind: 'Other' });
    const removed = streamRecord('REMOVE', undefined, { pk: 'q', sk: 'gone', kind: 'Thing' });
    const untyped = streamRecord('INSERT', { pk: 'q', sk: 'untyped' });

    // Act
    queue.push([thing('a'), other, thing('b'), thing('c'), thing('d')]);
    queue.push([removed, thing('e'), untyped, thing('f'), thing('g')]);
    await queue.done();

    // Assess
    expect(batches).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
    expect(sleeps).toEqual([]);
    expect(dead).toEqual([]);
    expect(queue.idle()).toBe(true);
  });

  it('retries a failed batch after a pause that doubles per failure, then delivers it once', async () => {
    // Prepare
    const { queue, batches, sleeps, dead } = queueWith((_, call) => {
      if (call <= 2) throw new Error('not yet');
    });

    // Act
    queue.push(things('a'));
    await queue.done();

    // Assess
    expect(batches).toEqual([['a'], ['a'], ['a']]);
    expect(sleeps).toEqual([10, 20]);
    expect(dead).toEqual([]);
  });

  it('caps the retry pause at 2 s', async () => {
    // Prepare
    const { queue, sleeps, dead } = queueWith(throwOnPoison, { retryAttempts: 10 });

    // Act
    queue.push(things('p'));
    await queue.done();

    // Assess
    expect(sleeps).toEqual([10, 20, 40, 80, 160, 320, 640, 1280, 2000, 2000, 2000]);
    expect(dead.map((batch) => batch.attempts)).toEqual([11]);
  });

  it('bisects a batch whose invocation throws until the failing record is alone', async () => {
    // Prepare
    const { queue, batches, sleeps, dead } = queueWith(throwOnPoison);
    const delivered = () => batches.filter((batch) => !batch.some((sk) => sk.startsWith('p'))).flat();

    // Act
    queue.push(things('t1', 't2', 'p', 't3', 't4'));
    await queue.done();

    // Assess
    expect(batches).toEqual([['t1', 't2', 'p', 't3'], ['t1', 't2'], ['p', 't3'], ['p'], ['t3'], ['t4']]);
    expect(delivered()).toEqual(['t1', 't2', 't3', 't4']);
    expect(sleeps).toEqual([10, 20, 40]);
    expect(dead.map((batch) => batch.records.map(skOf))).toEqual([['p']]);
    expect(dead[0]).toMatchObject({ attempts: 3, error: 'Error: poison record' });
  });

  it('checkpoints before the first reported failure and redelivers what follows it', async () => {
    // Prepare
    const { queue, batches, sleeps, dead } = queueWith(reportPoison);

    // Act
    queue.push(things('t1', 't2', 'p', 't3', 't4'));
    await queue.done();

    // Assess
    expect(batches).toEqual([['t1', 't2', 'p', 't3'], ['p', 't3'], ['p', 't3'], ['t3'], ['t4']]);
    expect(sleeps).toEqual([10, 20, 40]);
    expect(dead.map((batch) => batch.records.map(skOf))).toEqual([['p']]);
    expect(dead[0]).toMatchObject({ attempts: 3, error: 'reported in batchItemFailures' });
  });

  it('fails and bisects the whole batch when batchItemFailures names a record it was not given', async () => {
    // Prepare
    const { queue, batches, sleeps, dead } = queueWith((_, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] } : undefined,
    );

    // Act
    queue.push(things('a', 'b', 'c', 'd'));
    await queue.done();

    // Assess
    expect(batches).toEqual([
      ['a', 'b', 'c', 'd'],
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(sleeps).toEqual([10]);
    expect(dead).toEqual([]);
  });

  it('dead-letters records that ran out of retries together as one batch, stamped by the clock', async () => {
    // Prepare
    const { queue, batches, sleeps, dead, errors } = queueWith(reportPoison, { retryAttempts: 1 });

    // Act
    queue.push(things('t1', 'p1', 'p2', 't2'));
    await queue.done();

    // Assess
    expect(batches).toEqual([['t1', 'p1', 'p2', 't2'], ['p1', 'p2', 't2'], ['t2']]);
    expect(sleeps).toEqual([10, 20]);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      consumer: 'things',
      at: new Date(START + 30).toISOString(),
      error: 'reported in batchItemFailures',
      attempts: 2,
    });
    expect(dead[0]?.records.map(skOf)).toEqual(['p1', 'p2']);
    expect(errors).toEqual(['things: 2 record(s) dead-lettered after 2 attempts']);
  });

  it('stops delivering once its signal aborts', async () => {
    // Prepare
    const stopping = new AbortController();
    const { queue, batches } = queueWith(() => stopping.abort(), { batchSize: 2, stopping });

    // Act
    queue.push(things('a', 'b', 'c', 'd'));
    await queue.done();

    // Assess
    expect(batches).toEqual([['a', 'b']]);
    expect(queue.idle()).toBe(false);
  });
});

/** Redriving the stack's dead-letter queues in AWS: events go back to their function, stream pointers are re-read within 24 h. */
import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { redriveQueue } from '../../scripts/dlq-redrive.ts';

const sqs = mockClient(SQSClient);
const streams = mockClient(DynamoDBStreamsClient);
afterEach(() => {
  sqs.reset();
  streams.reset();
});

const NOW = new Date('2026-03-02T12:00:00Z');
const pointer = (arrived: string) => ({
  requestContext: { condition: 'RetryAttemptsExhausted' },
  DDBStreamBatchInfo: {
    shardId: 'shard-1',
    startSequenceNumber: '100',
    endSequenceNumber: '102',
    streamArn: 'arn:aws:dynamodb:us-east-1:1:table/main/stream/x',
    approximateArrivalOfFirstRecord: arrived,
  },
});
const record = (sequence: string) => ({ eventID: sequence, dynamodb: { SequenceNumber: sequence } });

const run = (invocations: unknown[][], failing = false) =>
  redriveQueue(
    {
      sqs: new SQSClient({ region: 'us-east-1' }),
      streams: new DynamoDBStreamsClient({ region: 'us-east-1' }),
      invoke: async (...args) => {
        invocations.push(args);
        if (failing) throw new Error('still failing');
      },
      now: () => NOW,
    },
    { queueUrl: 'https://sqs/q', functionName: 'fn', max: 10 },
  );

describe('redriving a dead-letter queue', () => {
  it('sends events back to the function and deletes each once accepted', async () => {
    const event = { 'detail-type': 'Scheduled Event', time: '2026-03-02T06:00:00Z' };
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ Body: JSON.stringify(event), ReceiptHandle: 'r1' }] })
      .resolves({ Messages: [] });
    const invocations: unknown[][] = [];

    const result = await run(invocations);

    expect(result).toEqual({ redriven: 1, failed: 0, expired: 0 });
    expect(invocations).toEqual([['fn', event, 'Event']]);
    expect(sqs.commandCalls(DeleteMessageCommand)[0]?.args[0].input.ReceiptHandle).toBe('r1');
  });

  it('reads a stream pointer back from the stream, up to its last sequence number, and hands the records over', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [{ Body: JSON.stringify(pointer('2026-03-02T09:00:00Z')), ReceiptHandle: 'r1' }],
      })
      .resolves({ Messages: [] });
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
    streams.on(GetRecordsCommand).resolves({
      Records: [record('100'), record('101'), record('102'), record('103')],
      NextShardIterator: 'it-2',
    });
    const invocations: unknown[][] = [];

    const result = await run(invocations);

    expect(result).toEqual({ redriven: 1, failed: 0, expired: 0 });
    expect(streams.commandCalls(GetShardIteratorCommand)[0]?.args[0].input).toMatchObject({
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: '100',
    });
    expect(invocations).toEqual([
      ['fn', { Records: [record('100'), record('101'), record('102')] }, 'RequestResponse'],
    ]);
  });

  it('leaves pointers past the 24 h retention, and failures, in the queue', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          { Body: JSON.stringify(pointer('2026-03-01T09:00:00Z')), ReceiptHandle: 'old' },
          { Body: JSON.stringify({ detail: {} }), ReceiptHandle: 'failing' },
        ],
      })
      .resolves({ Messages: [] });

    const result = await run([], true);

    expect(result).toEqual({ redriven: 0, failed: 1, expired: 1 });
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });
});

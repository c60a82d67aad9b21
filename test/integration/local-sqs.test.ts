/**
 * The twin's SQS: the real @aws-sdk/client-sqs sends to it; a message reaches its function after
 * its delay, a failure is received again, and after maxReceiveCount receives it is redriven to
 * the dead-letter queue's file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSqs, startLocalSqs } from '../../local/sqs-queue.ts';
import { freePort, testCredentials, testDir } from './helpers.ts';

const received: Array<{ body: string; receiveCount: string | undefined; at: number }> = [];
/** Bodies the function fails, each until it was received this many times. */
const failUntil = new Map<string, number>();
let sqs: LocalSqs;
let client: SQSClient;
let dlqDir: string;

beforeAll(async () => {
  dlqDir = testDir('local-sqs');
  sqs = await startLocalSqs({
    port: await freePort(),
    region: 'us-east-1',
    dlqDir,
    visibilityTimeoutMs: 50,
    onError: () => undefined,
    queues: [
      {
        name: 'work',
        consumer: {
          name: 'worker',
          maxReceiveCount: 3,
          deadLetterQueue: 'work-dlq',
          handler: async (event: SQSEvent): Promise<SQSBatchResponse> => {
            const failures = event.Records.filter((record) => {
              const count = Number(record.attributes.ApproximateReceiveCount);
              received.push({
                body: record.body,
                receiveCount: record.attributes.ApproximateReceiveCount,
                at: Date.now(),
              });
              return count < (failUntil.get(record.body) ?? 0);
            });
            return { batchItemFailures: failures.map((record) => ({ itemIdentifier: record.messageId })) };
          },
        },
      },
      { name: 'work-dlq' },
    ],
  });
  client = new SQSClient({ endpoint: sqs.url, region: 'us-east-1', credentials: testCredentials });
});

afterAll(async () => {
  client?.destroy();
  await sqs?.stop();
});

const send = (body: string, DelaySeconds = 0, queue = 'work') =>
  client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl(queue), MessageBody: body, DelaySeconds }));

const arrivals = (body: string) => received.filter((item) => item.body === body);

describe("the twin's SQS", () => {
  it('delivers a message after its delay', async () => {
    const sentAt = Date.now();
    const answer = await send('delayed', 1);

    expect(answer.MessageId).toEqual(expect.any(String));
    await expect.poll(() => arrivals('delayed').length, { timeout: 5_000 }).toBe(1);
    expect((arrivals('delayed')[0]?.at ?? 0) - sentAt).toBeGreaterThanOrEqual(1_000);
  });

  it('receives a failed message again, counting receives', async () => {
    failUntil.set('flaky', 2);
    await send('flaky');

    await expect
      .poll(() => arrivals('flaky').map((item) => item.receiveCount), { timeout: 5_000 })
      .toEqual(['1', '2']);
  });

  it('redrives a message that failed maxReceiveCount times to the dead-letter file', async () => {
    failUntil.set('poison', 99);
    await send('poison');

    const file = join(dlqDir, 'work-dlq.jsonl');
    await expect
      .poll(() => existsSync(file) && readFileSync(file, 'utf8').includes('"body":"poison"'), {
        timeout: 5_000,
      })
      .toBe(true);
    expect(arrivals('poison')).toHaveLength(3);
  });

  it('refuses an unknown queue as SQS does', async () => {
    await expect(send('lost', 0, 'nowhere')).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });
});

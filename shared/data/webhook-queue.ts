/**
 * The webhook delivery queue on SQS (the twin runs an SQS-compatible queue: local/sqs-queue.ts).
 * SQS delays a message by at most 15 minutes; a longer wait rides in the task's `notBefore` and
 * the delivery function sends it on again until it is due.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue, DeliveryTask } from '#domain/webhooks/ports.ts';
import { requireEnv } from '#runtime/config.ts';
import { onFirstUse } from './on-first-use.ts';

const MAX_DELAY_SECONDS = 900;

// Loaded with the first delivery: the webhooks function's other routes never queue anything.
const sqsSdk = onFirstUse(async () => {
  const { SendMessageCommand, SQSClient } = await import('@aws-sdk/client-sqs');
  return { SendMessageCommand, containerClient: new SQSClient({}) };
});

export const delaySecondsOf = (delayMs: number): number =>
  Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delayMs / 1000)));

/** The queue on `client`, or on the container's own client, made with the first send. */
export const createSqsDeliveryQueue = (client?: SQSClient): DeliveryQueue => {
  const send = async (input: { QueueUrl: string; MessageBody: string; DelaySeconds?: number }) => {
    const { SendMessageCommand, containerClient } = await sqsSdk();
    await (client ?? containerClient).send(new SendMessageCommand(input));
  };
  return {
    enqueue: async (task: DeliveryTask, delayMs: number) => {
      await send({
        QueueUrl: requireEnv('webhookQueueUrl'),
        MessageBody: JSON.stringify(task),
        DelaySeconds: delaySecondsOf(delayMs),
      });
    },
    deadLetter: async (task: DeliveryTask, reason: string) => {
      await send({
        QueueUrl: requireEnv('webhookDeadLetterQueueUrl'),
        MessageBody: JSON.stringify({ ...task, reason }),
      });
    },
  };
};

export const sqsDeliveryQueue = createSqsDeliveryQueue();

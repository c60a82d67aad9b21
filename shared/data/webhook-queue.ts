/**
 * The webhook delivery queue on SQS (the twin runs an SQS-compatible queue: local/sqs-queue.ts).
 * SQS delays a message by at most 15 minutes; a longer wait rides in the task's `notBefore` and
 * the delivery function sends it on again until it is due.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue, DeliveryTask } from '#domain/webhooks/ports.ts';
import { requireEnv } from '#runtime/config.ts';

const MAX_DELAY_SECONDS = 900;

const client = new SQSClient({});

export const delaySecondsOf = (delayMs: number): number =>
  Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delayMs / 1000)));

export const createSqsDeliveryQueue = (sqs: SQSClient = client): DeliveryQueue => ({
  enqueue: async (task: DeliveryTask, delayMs: number) => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: requireEnv('webhookQueueUrl'),
        MessageBody: JSON.stringify(task),
        DelaySeconds: delaySecondsOf(delayMs),
      }),
    );
  },
  deadLetter: async (task: DeliveryTask, reason: string) => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: requireEnv('webhookDeadLetterQueueUrl'),
        MessageBody: JSON.stringify({ ...task, reason }),
      }),
    );
  },
});

export const sqsDeliveryQueue = createSqsDeliveryQueue();

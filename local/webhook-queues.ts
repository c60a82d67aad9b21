/**
 * The twin's webhook delivery queue and its dead-letter queue (local/sqs-queue.ts), fed to the
 * functions of QUEUE_FUNCTIONS as Lambda's SQS event source would. Deliveries go out for real,
 * over HTTP, to the registered URL; the retry schedule runs compressed by WEBHOOK_TIME_SCALE.
 */
import { join } from 'node:path';
import { ENV } from '#runtime/config.ts';
import { QUEUE_FUNCTIONS, type QueueFunctionDefinition } from '#shared/functions.ts';
import { type QueueHandler, startLocalSqs } from './sqs-queue.ts';

const QUEUE = 'shiftline-webhooks';
const DEAD_LETTERS = 'shiftline-webhooks-dlq';
const ACCOUNT = '000000000000';

/**
 * The twin's default compression: a day of retries in 86 s, five days before an endpoint is
 * disabled in 7 min. `SHIFTLINE_WEBHOOK_TIME_SCALE` overrides it (1: the AWS schedule).
 */
const DEFAULT_TIME_SCALE = '0.001';

/** What the handlers read: the queues' URLs, the compressed schedule, local targets allowed. */
export const webhookEnvironment = (sqsPort: number): Record<string, string> => {
  const base = `http://127.0.0.1:${sqsPort}`;
  return {
    AWS_ENDPOINT_URL_SQS: base,
    [ENV.webhookQueueUrl]: `${base}/${ACCOUNT}/${QUEUE}`,
    [ENV.webhookDeadLetterQueueUrl]: `${base}/${ACCOUNT}/${DEAD_LETTERS}`,
    [ENV.webhookTimeScale]: process.env.SHIFTLINE_WEBHOOK_TIME_SCALE ?? DEFAULT_TIME_SCALE,
    [ENV.webhookLocalTargets]: 'true',
  };
};

export const startWebhookQueues = async (options: {
  port: number;
  region: string;
  dlqDir: string;
  load: (definition: QueueFunctionDefinition) => Promise<QueueHandler>;
}) => {
  const definition = QUEUE_FUNCTIONS.webhookDelivery;
  if (!definition) throw new Error('QUEUE_FUNCTIONS.webhookDelivery is missing');
  return startLocalSqs({
    port: options.port,
    region: options.region,
    dlqDir: options.dlqDir,
    queues: [
      {
        name: QUEUE,
        consumer: {
          name: 'webhookDelivery',
          handler: await options.load(definition),
          maxReceiveCount: definition.maxReceiveCount,
          deadLetterQueue: DEAD_LETTERS,
        },
      },
      { name: DEAD_LETTERS },
    ],
  });
};

export const webhookDeadLetterFile = (dlqDir: string): string => join(dlqDir, `${DEAD_LETTERS}.jsonl`);

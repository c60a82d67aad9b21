/**
 * SQS in the twin: an endpoint speaking SQS's JSON protocol for SendMessage (what the functions
 * call, through the real @aws-sdk/client-sqs), and the event source mapping Lambda runs on a
 * queue: each message, once its DelaySeconds are over, goes to the queue's function as an
 * SQSEvent; a failure (thrown, or reported in batchItemFailures) is received again after the
 * visibility timeout, and after maxReceiveCount receives the message is redriven to the
 * dead-letter queue. A dead-letter queue keeps its messages in `<dlqDir>/<queue>.jsonl`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createLambdaContext } from './lambda-context.ts';

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface LocalQueueDefinition {
  name: string;
  /** The function fed by the queue; none for a dead-letter queue. */
  consumer?: { name: string; handler: QueueHandler; maxReceiveCount: number; deadLetterQueue: string };
}

export interface LocalSqsOptions {
  port: number;
  region: string;
  queues: readonly LocalQueueDefinition[];
  dlqDir: string;
  /** Wait before a failed message is received again (SQS: the visibility timeout). */
  visibilityTimeoutMs?: number;
  onError?: (message: string, error: unknown) => void;
}

export interface LocalSqs {
  url: string;
  queueUrl: (name: string) => string;
  stop: () => Promise<void>;
}

interface Message {
  id: string;
  body: string;
  receives: number;
  sentAt: number;
}

const ACCOUNT = '000000000000';

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const answer = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  response.end(JSON.stringify(body));
};

const sqsError = (response: ServerResponse, type: string, message: string) =>
  answer(response, 400, { __type: `com.amazonaws.sqs#${type}`, message });

const recordOf = (message: Message, queueArn: string, region: string): SQSRecord => ({
  messageId: message.id,
  receiptHandle: `${message.id}#${message.receives}`,
  body: message.body,
  attributes: {
    ApproximateReceiveCount: String(message.receives),
    SentTimestamp: String(message.sentAt),
    SenderId: ACCOUNT,
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: createHash('md5').update(message.body).digest('hex'),
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: region,
});

const writeDeadLetter = (dlqDir: string, queueName: string, message: Message): void => {
  const line = JSON.stringify({ messageId: message.id, body: message.body, at: new Date().toISOString() });
  appendFileSync(join(dlqDir, `${queueName}.jsonl`), `${line}\n`);
};

type Report = (message: string, error: unknown) => void;

/** One receive by the queue's consumer; true when the message failed. */
const receiveOnce = async (
  queue: LocalQueueDefinition,
  message: Message,
  region: string,
  report: Report,
): Promise<boolean> => {
  const consumer = queue.consumer;
  if (!consumer) return false;
  message.receives += 1;
  const arn = `arn:aws:sqs:${region}:${ACCOUNT}:${queue.name}`;
  const event = { Records: [recordOf(message, arn, region)] };
  return consumer.handler(event, createLambdaContext(consumer.name)).then(
    (result) => (result?.batchItemFailures ?? []).some((failure) => failure.itemIdentifier === message.id),
    (error: unknown) => {
      report(`${consumer.name} failed on message ${message.id}`, error);
      return true;
    },
  );
};

type RunnerOptions = Pick<
  LocalSqsOptions,
  'region' | 'queues' | 'dlqDir' | 'visibilityTimeoutMs' | 'onError'
>;

/** The queues' behaviour without the HTTP front: delays, receives, retries, redrive. */
const createQueueRunner = (options: RunnerOptions) => {
  const visibilityMs = options.visibilityTimeoutMs ?? 1_000;
  const report: Report = options.onError ?? ((message, error) => console.error(`[sqs] ${message}`, error));
  const byName = new Map(options.queues.map((queue) => [queue.name, queue]));
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const later = (delayMs: number, run: () => void) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) run();
    }, delayMs);
    timers.add(timer);
  };

  const deliver = (queue: LocalQueueDefinition, message: Message, delayMs: number): void => {
    const consumer = queue.consumer;
    if (!consumer) {
      writeDeadLetter(options.dlqDir, queue.name, message);
      return;
    }
    later(delayMs, () => {
      void receiveOnce(queue, message, options.region, report).then((failed) => {
        if (!failed) return;
        const target = byName.get(consumer.deadLetterQueue);
        if (message.receives < consumer.maxReceiveCount) deliver(queue, message, visibilityMs);
        else if (target) deliver(target, message, 0);
      });
    });
  };

  return {
    has: (name: string) => byName.has(name),
    send: (name: string, body: string, delayMs: number): Message | undefined => {
      const queue = byName.get(name);
      if (!queue) return undefined;
      const message: Message = { id: randomUUID(), body, receives: 0, sentAt: Date.now() };
      deliver(queue, message, delayMs);
      return message;
    },
    stop: () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
};

const sendMessage = (
  runner: ReturnType<typeof createQueueRunner>,
  input: Record<string, unknown>,
  response: ServerResponse,
) => {
  const name = typeof input.QueueUrl === 'string' ? (input.QueueUrl.split('/').pop() ?? '') : '';
  if (!runner.has(name))
    return sqsError(response, 'QueueDoesNotExist', 'The specified queue does not exist.');
  const body = typeof input.MessageBody === 'string' ? input.MessageBody : '';
  const delaySeconds = typeof input.DelaySeconds === 'number' ? input.DelaySeconds : 0;
  if (delaySeconds < 0 || delaySeconds > 900)
    return sqsError(response, 'InvalidParameterValue', 'DelaySeconds must be 0 to 900.');
  const message = runner.send(name, body, delaySeconds * 1000);
  answer(response, 200, {
    MessageId: message?.id,
    MD5OfMessageBody: createHash('md5').update(body).digest('hex'),
  });
};

export const startLocalSqs = async (options: LocalSqsOptions): Promise<LocalSqs> => {
  const url = `http://127.0.0.1:${options.port}`;
  const runner = createQueueRunner(options);
  const report = options.onError ?? ((message, error) => console.error(`[sqs] ${message}`, error));
  const server = createServer((request, response) => {
    void readBody(request)
      .then((text) => {
        const target = String(request.headers['x-amz-target'] ?? '');
        const input = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
        if (target === 'AmazonSQS.SendMessage') return sendMessage(runner, input, response);
        return sqsError(response, 'UnsupportedOperation', `The twin's SQS does not serve ${target}.`);
      })
      .catch((error: unknown) => {
        report('request', error);
        sqsError(response, 'InternalError', 'The request could not be read.');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    url,
    queueUrl: (name: string) => `${url}/${ACCOUNT}/${name}`,
    stop: async () => {
      runner.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/**
 * Redriving a dead-letter queue in AWS (scripts/redrive-aws.ts is the command). Two kinds of
 * messages land in the stack's queues:
 * - events (EventBridge rule targets and asynchronous invocations: schedules, bucket events):
 *   the body is the event, sent to the function again as an asynchronous invocation;
 * - stream batch pointers (a stream consumer's on-failure destination): the body names a shard
 *   and a range of sequence numbers, not the records. The records are read back from the stream
 *   and handed to the consumer synchronously, which works only while the stream still holds
 *   them: 24 hours. Older pointers are reported as expired and left in the queue.
 * A message is deleted only once its redrive succeeded.
 */
import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Invokes the function; resolves once Lambda accepted (Event) or the handler succeeded (RequestResponse). */
export type Invoke = (
  functionName: string,
  payload: unknown,
  mode: 'Event' | 'RequestResponse',
) => Promise<void>;

export interface RedriveDeps {
  sqs: SQSClient;
  streams: DynamoDBStreamsClient;
  invoke: Invoke;
  now: () => Date;
}

export interface RedriveResult {
  redriven: number;
  failed: number;
  expired: number;
}

/** How long a DynamoDB stream keeps a record. */
export const STREAM_RETENTION_MS = 24 * 3_600_000;

interface StreamBatchPointer {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  streamArn: string;
  approximateArrivalOfFirstRecord?: string;
}

const pointerOf = (body: unknown): StreamBatchPointer | undefined => {
  const info = (body as { DDBStreamBatchInfo?: StreamBatchPointer } | null)?.DDBStreamBatchInfo;
  return info?.shardId && info.startSequenceNumber && info.endSequenceNumber ? info : undefined;
};

/** The records of the pointer's range, read from the stream again. */
export const recordsOf = async (streams: DynamoDBStreamsClient, pointer: StreamBatchPointer) => {
  const { ShardIterator } = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: pointer.streamArn,
      ShardId: pointer.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: pointer.startSequenceNumber,
    }),
  );
  const end = BigInt(pointer.endSequenceNumber);
  const records: StreamRecord[] = [];
  let iterator = ShardIterator;
  while (iterator) {
    const page: GetRecordsCommandOutput = await streams.send(
      new GetRecordsCommand({ ShardIterator: iterator }),
    );
    const batch = page.Records ?? [];
    for (const record of batch) {
      if (BigInt(record.dynamodb?.SequenceNumber ?? '0') > end) return records;
      records.push(record);
    }
    // An open shard answers an empty page at its tip: the range has been read.
    if (batch.length === 0) return records;
    iterator = page.NextShardIterator;
  }
  return records;
};

/** Redrives up to `max` messages of the queue into the function. */
export const redriveQueue = async (
  deps: RedriveDeps,
  target: { queueUrl: string; functionName: string; max: number },
): Promise<RedriveResult> => {
  const result: RedriveResult = { redriven: 0, failed: 0, expired: 0 };
  // Messages left in the queue stay invisible for the timeout: each is seen once per run.
  for (let seen = 0; seen < target.max; ) {
    const { Messages = [] } = await deps.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: target.queueUrl,
        MaxNumberOfMessages: Math.min(10, target.max - seen),
        VisibilityTimeout: 300,
        WaitTimeSeconds: 1,
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      seen += 1;
      const body: unknown = JSON.parse(message.Body ?? 'null');
      const pointer = pointerOf(body);
      const arrived = Date.parse(pointer?.approximateArrivalOfFirstRecord ?? '');
      if (pointer && deps.now().getTime() - arrived > STREAM_RETENTION_MS) {
        result.expired += 1;
        continue;
      }
      try {
        if (pointer) {
          const Records = await recordsOf(deps.streams, pointer);
          await deps.invoke(target.functionName, { Records }, 'RequestResponse');
        } else {
          await deps.invoke(target.functionName, body, 'Event');
        }
        await deps.sqs.send(
          new DeleteMessageCommand({ QueueUrl: target.queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
        result.redriven += 1;
      } catch {
        result.failed += 1;
      }
    }
  }
  return result;
};

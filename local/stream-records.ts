import { appendFileSync, existsSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { _Record as SdkRecord, AttributeValue as SdkValue } from '@aws-sdk/client-dynamodb-streams';
import type {
  AttributeValue,
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
} from 'aws-lambda';
import type { StreamConsumerDefinition } from '#shared/functions.ts';
import { createLambdaContext } from './lambda-context.ts';

/* Stream records as Lambda delivers them, the event source's filter, one invocation's outcome, and the DLQ redrive. */

/** A stream consumer's handler; it may resolve to a DynamoDBBatchResponse (ReportBatchItemFailures) or nothing. */
export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>;

/** One line of `<consumer>.jsonl`. */
export interface DeadBatch {
  consumer: string;
  at: string;
  error: string;
  attempts: number;
  records: DynamoDBRecord[];
}

const describeError = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

const toLambdaValue = (value: SdkValue): AttributeValue => {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  // The Lambda event carries binary as base64 text; the SDK hands it over as bytes.
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  return { NULL: true };
};

const toLambdaImage = (image: Record<string, SdkValue>): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaValue(value)]));
const imageOf = (image: Record<string, SdkValue> | undefined) => (image ? toLambdaImage(image) : undefined);

/** The record as Lambda delivers it (epoch seconds, base64 binary, the function's region). */
export const toLambdaRecord = (record: SdkRecord, streamArn: string, region: string): DynamoDBRecord => ({
  eventID: record.eventID,
  eventName: record.eventName,
  eventVersion: record.eventVersion,
  eventSource: 'aws:dynamodb',
  awsRegion: region,
  eventSourceARN: streamArn,
  dynamodb: {
    ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
      ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
      : undefined,
    Keys: imageOf(record.dynamodb?.Keys),
    NewImage: imageOf(record.dynamodb?.NewImage),
    OldImage: imageOf(record.dynamodb?.OldImage),
    SequenceNumber: record.dynamodb?.SequenceNumber,
    SizeBytes: record.dynamodb?.SizeBytes,
    StreamViewType: record.dynamodb?.StreamViewType,
  },
});

/** The CDK event source's filter: `{ dynamodb: { NewImage: { kind: { S: kinds } } } }`; REMOVEs have no NewImage. */
export const matches = (definition: StreamConsumerDefinition, record: DynamoDBRecord) => {
  const kind = record.dynamodb?.NewImage?.kind?.S;
  return kind !== undefined && definition.kinds.includes(kind);
};

/** A failed invocation: records before `checkpoint` are done; `failed` indexes the records that failed. */
export interface Failure {
  ok: false;
  checkpoint: number;
  failed: number[];
  /** The handler threw (or named an unknown record): the event source bisects what is left. */
  thrown: boolean;
  error: string;
}

export type Outcome = { ok: true } | Failure;

/** Invokes the handler once; a reported item failure checkpoints before the first failed record. */
export const invoke = async (
  name: string,
  handler: StreamHandler,
  records: DynamoDBRecord[],
): Promise<Outcome> => {
  try {
    const result = await handler({ Records: records }, createLambdaContext(name));
    const reported = (result as Partial<DynamoDBBatchResponse> | undefined)?.batchItemFailures ?? [];
    if (reported.length === 0) return { ok: true };
    const failed = reported.map(({ itemIdentifier }) =>
      records.findIndex((r) => itemIdentifier && r.dynamodb?.SequenceNumber === itemIdentifier),
    );
    // As in AWS, an identifier that names no record of the batch fails the whole batch.
    if (failed.includes(-1)) {
      const all = records.map((_, i) => i);
      return {
        ok: false,
        checkpoint: 0,
        failed: all,
        thrown: true,
        error: 'batchItemFailures named an unknown record',
      };
    }
    return {
      ok: false,
      checkpoint: Math.min(...failed),
      failed,
      thrown: false,
      error: 'reported in batchItemFailures',
    };
  } catch (error) {
    return {
      ok: false,
      checkpoint: 0,
      failed: records.map((_, i) => i),
      thrown: true,
      error: describeError(error),
    };
  }
};

/**
 * Replays `<dlqDir>/<name>.jsonl` into the handler, one invocation per dead batch; batches that
 * fail again (from their first failed record on) go back to the file. The file is renamed
 * first, so a running poller's new dead batches land in a fresh file and none are lost.
 */
export const redrive = async (options: { name: string; handler: StreamHandler; dlqDir: string }) => {
  const file = join(options.dlqDir, `${options.name}.jsonl`);
  const work = `${file}.redriving`;
  if (existsSync(file)) {
    if (existsSync(work)) {
      appendFileSync(work, readFileSync(file));
      unlinkSync(file);
    } else renameSync(file, work);
  }
  if (!existsSync(work)) return { replayed: 0, failed: 0 };
  const lines = readFileSync(work, 'utf8').split('\n').filter(Boolean);
  const again: DeadBatch[] = [];
  for (const line of lines) {
    const batch = JSON.parse(line) as DeadBatch;
    const outcome = await invoke(options.name, options.handler, batch.records);
    if (!outcome.ok) {
      const records = batch.records.slice(outcome.checkpoint);
      again.push({
        ...batch,
        at: new Date().toISOString(),
        error: outcome.error,
        attempts: batch.attempts + 1,
        records,
      });
    }
  }
  if (again.length > 0) appendFileSync(file, again.map((batch) => `${JSON.stringify(batch)}\n`).join(''));
  unlinkSync(work);
  return { replayed: lines.length - again.length, failed: again.length };
};

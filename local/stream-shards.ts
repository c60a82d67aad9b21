/**
 * Reads a DynamoDB (Local) stream's shards: parents before their children, each shard from the
 * record after the last one seen, and shards opened later from their beginning. It hands the
 * records on as Lambda delivers them and keeps nothing else.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { toLambdaRecord } from './stream-records.ts';

export interface ShardReaderOptions {
  endpoint: string;
  streamArn: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** `awsRegion` of the records. */
  region: string;
}

interface ShardState {
  parent?: string;
  iterator?: string;
  position: ShardIteratorType;
  last?: string;
  closed: boolean;
}

export interface ShardReader {
  /** Learns the shards not known yet; they will be read from `position`. */
  discover: (position: ShardIteratorType) => Promise<void>;
  /** Positions every open shard now, so a write made right after is never missed. */
  positionOpenShards: () => Promise<void>;
  /**
   * One GetRecords per readable shard, each shard's records handed to `feed` as they arrive.
   * Says whether a shard closed (its children are then to be discovered).
   */
  readPass: (feed: (records: DynamoDBRecord[]) => void) => Promise<{ closedShard: boolean }>;
  /** After a failed read: every shard is positioned again after the last record seen. */
  forgetIterators: () => void;
  destroy: () => void;
}

/** The reader's connection and what it knows of the shards. */
interface StreamSource {
  client: DynamoDBStreamsClient;
  streamArn: string;
  region: string;
  shards: Map<string, ShardState>;
}

const discoverShards = async (source: StreamSource, position: ShardIteratorType) => {
  let start: string | undefined;
  do {
    const { StreamDescription } = await source.client.send(
      new DescribeStreamCommand({ StreamArn: source.streamArn, ExclusiveStartShardId: start }),
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || source.shards.has(shard.ShardId)) continue;
      source.shards.set(shard.ShardId, { parent: shard.ParentShardId, position, closed: false });
    }
    start = StreamDescription?.LastEvaluatedShardId;
  } while (start);
};

const acquireIterator = async (source: StreamSource, shardId: string, shard: ShardState) => {
  const { ShardIterator } = await source.client.send(
    new GetShardIteratorCommand({
      StreamArn: source.streamArn,
      ShardId: shardId,
      ShardIteratorType: shard.last ? 'AFTER_SEQUENCE_NUMBER' : shard.position,
      SequenceNumber: shard.last,
    }),
  );
  shard.iterator = ShardIterator;
};

/** Open shards whose parent (if any) is read to its end. */
const readableShards = (shards: Map<string, ShardState>) =>
  [...shards.entries()].filter(
    ([, shard]) => !shard.closed && !(shard.parent && shards.get(shard.parent)?.closed === false),
  );

const readShard = async (source: StreamSource, shardId: string, shard: ShardState) => {
  if (!shard.iterator) await acquireIterator(source, shardId, shard);
  const { Records = [], NextShardIterator } = await source.client.send(
    new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }),
  );
  shard.iterator = NextShardIterator;
  if (!NextShardIterator) shard.closed = true;
  shard.last = Records.at(-1)?.dynamodb?.SequenceNumber ?? shard.last;
  return Records.map((record) => toLambdaRecord(record, source.streamArn, source.region));
};

export const createShardReader = (options: ShardReaderOptions): ShardReader => {
  const source: StreamSource = {
    client: new DynamoDBStreamsClient({
      endpoint: options.endpoint,
      region: 'us-east-1',
      credentials: options.credentials,
    }),
    streamArn: options.streamArn,
    region: options.region,
    shards: new Map(),
  };
  return {
    discover: (position) => discoverShards(source, position),
    positionOpenShards: async () => {
      for (const [shardId, shard] of source.shards) {
        if (!shard.closed) await acquireIterator(source, shardId, shard);
      }
    },
    readPass: async (feed) => {
      let closedShard = false;
      for (const [shardId, shard] of readableShards(source.shards)) {
        feed(await readShard(source, shardId, shard));
        closedShard ||= shard.closed;
      }
      return { closedShard };
    },
    forgetIterators: () => {
      for (const shard of source.shards.values()) shard.iterator = undefined;
    },
    destroy: () => source.client.destroy(),
  };
};

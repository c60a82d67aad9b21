/** The DynamoDB stream consumers of the Main table (audit, notify). */
import { AUDITED_KINDS } from '#domain/audit/item-changes.ts';
import { NOTIFY_KINDS } from '#domain/realtime/frames.ts';
import { SYNC_KINDS } from '#domain/sync/fan-out.ts';
import type { FunctionDefinition } from './functions.ts';

/** A DynamoDB stream consumer of the Main table (audit, notify). */
export interface StreamConsumerDefinition extends FunctionDefinition {
  /** Event-source filter: only records whose NewImage.kind is one of these invoke the function. */
  kinds: readonly string[];
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** Retries before the batch goes to the dead-letter queue (bisecting on error). */
  retryAttempts: number;
  /**
   * Concurrent batches per shard (Lambda's ParallelizationFactor, 1–10): records of one
   * partition key stay in order on one lane, different keys go on concurrently.
   */
  parallelization: number;
}

export const STREAM_CONSUMERS: Record<string, StreamConsumerDefinition> = {
  audit: {
    entry: 'functions/streams/audit.ts',
    description: 'Appends one tamper-evident audit ledger entry per audited change of Main',
    // Reads its chains' newest entries; PutItem only (the ledger's resource policy denies the rest).
    access: ['ledger:read', 'ledger:append'],
    // Entity items, membership read receipts and access events: never connections, throttle
    // counters or idempotency records (shared/domain/audit/item-changes.ts).
    kinds: Object.keys(AUDITED_KINDS),
    batchSize: 100,
    maxBatchingWindowSeconds: 0,
    retryAttempts: 5,
    // One chain per item key: chains append concurrently, each in order.
    parallelization: 4,
  },
  notify: {
    entry: 'functions/streams/notify.ts',
    description: 'Table changes → WebSocket frames to live connections; conversation membership counters',
    // Reads memberships and connections, writes counters and forgets stale connections;
    // writes webhook deliveries and queues them (webhooks:send).
    access: ['main:write', 'connections:manage', 'webhooks:send'],
    mainWrites: ['conversations', 'connections', 'syncLog', 'webhookDeliveries'],
    // Exactly the kinds that can make a frame (FRAME_MAPPERS in shared/domain/realtime/frames.ts),
    // a change of offline sync's log (shared/domain/sync/fan-out.ts) or a webhook event.
    kinds: [...new Set([...NOTIFY_KINDS, ...SYNC_KINDS])],
    batchSize: 100,
    // Frames are latency-bound: no batching window.
    maxBatchingWindowSeconds: 0,
    retryAttempts: 3,
    // Counters and frames of one item stay in order; different conversations go on concurrently.
    parallelization: 4,
  },
};

/**
 * The `notify` stream consumer: Main table changes → WebSocket frames to the live connections
 * of their audience, the membership counters kept off the send path, offline sync's change log,
 * and the webhook deliveries of the change queued (shared/domain/webhooks/fan-out.ts). Frames
 * and deliveries go record by record; counters and log entries are written once per batch
 * (a member's run of messages one write, the log's entries in full BatchWriteItems). Partial
 * batch failures are reported, so only the records from the first failed one on are retried.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { closeConnection, postFrame } from '#data/connection-delivery.ts';
import { forgetConnection, listDeskUsers, liveConnectionsOf } from '#data/connections.ts';
import { countMessagesFor, dropCoveredUnread } from '#data/membership-counters.ts';
import { messagingRepository } from '#data/messaging.ts';
import { realtimeChangeOf } from '#data/stream-images.ts';
import { changeLogRepository } from '#data/sync.ts';
import type { MembershipRecord } from '#domain/messaging/ports.ts';
import { createNotifier } from '#domain/realtime/notifier.ts';
import { createChangeLog } from '#domain/sync/change-log.ts';
import { logger } from '#runtime/logger.ts';
import { connectionSessionEnded } from '#runtime/session-guard.ts';
import { webhookFanOutForBatch } from '#shared/services/webhooks.ts';

/** Reads shared by the records of one batch (a burst in one conversation asks once). */
const perBatch = <T>(read: (key: string) => Promise<T>) => {
  const cache = new Map<string, Promise<T>>();
  return (key: string): Promise<T> => {
    const cached = cache.get(key) ?? read(key);
    cache.set(key, cached);
    return cached;
  };
};

// Offline sync's change log rides on this reader (no third reader of the Main stream); it asks
// for a conversation's members through the notifier's cache, so a message costs one Query, not two.
const changeLogForBatch = (membersOf: (conversationId: string) => Promise<MembershipRecord[]>) =>
  createChangeLog({
    writer: changeLogRepository,
    participantsOf: async (conversationId) =>
      (await membersOf(conversationId)).map((member) => member.userId),
  });

const notifierForBatch = (membersOf: (conversationId: string) => Promise<MembershipRecord[]>) =>
  createNotifier({
    membersOf,
    connectionsOfUsers: liveConnectionsOf,
    post: postFrame,
    close: closeConnection,
    forget: forgetConnection,
    sessionEnded: connectionSessionEnded,
    countMessagesFor,
    dropCoveredUnread,
    deskUsers: listDeskUsers,
  });

// Records of one conversation arrive in order on one shard; sequential handling keeps frames in it.
const processor = new BatchProcessor(EventType.DynamoDBStreams);

const handleRecord = async (
  record: DynamoDBRecord,
  notifier: ReturnType<typeof notifierForBatch>,
  changeLog: ReturnType<typeof changeLogForBatch>,
  webhooks: ReturnType<typeof webhookFanOutForBatch>,
): Promise<void> => {
  const change = realtimeChangeOf(record);
  const now = new Date();
  // The three are independent and each safe to repeat when the record is retried (frames are
  // deduped by clients, log entries folded by readers, deliveries keyed by event): side by side.
  const [report, , queued] = await Promise.all([
    notifier.handle(change, { now, requestId: record.eventID ?? 'stream' }),
    changeLog.record(change, now),
    // Webhook deliveries ride on this reader: a third reader of the Main stream is not allowed.
    webhooks.handle(change, { eventId: record.eventID ?? 'stream', now }),
  ]);
  if (queued > 0) logger.debug('webhook deliveries queued', { eventId: record.eventID, queued });
  if (report) logger.debug('notified', { eventId: record.eventID, ...report });
  if (report?.refused) logger.warn('connections refused at delivery', { eventId: record.eventID, ...report });
};

/** The batch's records from `first` on, as failures: the stream resumes from it. */
const failuresFrom = (records: readonly DynamoDBRecord[], first: string) =>
  records
    .slice(records.findIndex((record) => record.dynamodb?.SequenceNumber === first))
    .map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }));

export const handler = async (event: DynamoDBStreamEvent, context: Context) => {
  // Strongly consistent: the counters of a batch are planned on what it reads here.
  const membersOf = perBatch((conversationId: string) =>
    messagingRepository.listMembers(conversationId, { consistent: true }),
  );
  const notifier = notifierForBatch(membersOf);
  const changeLog = changeLogForBatch(membersOf);
  const webhooks = webhookFanOutForBatch();
  // The first record that left counters or log entries for the end of the batch.
  let firstWithBatchWork: string | undefined;
  const response = await processPartialResponse(
    event,
    async (record: DynamoDBRecord) => {
      await handleRecord(record, notifier, changeLog, webhooks);
      if (firstWithBatchWork === undefined && (notifier.hasCounterWork() || changeLog.hasPending()))
        firstWithBatchWork = record.dynamodb?.SequenceNumber;
    },
    processor,
    {
      context,
      processInParallel: false,
    },
  );
  // One after the other, each with few writes in flight: a burst would queue ahead of the next
  // request's reads (docs/decisions.md, "Counters and the change log once per batch").
  const failure = await notifier
    .settle()
    .then(() => changeLog.flush(new Date()))
    .then(
      () => undefined,
      (error: unknown) => error ?? new Error('batch work failed'),
    );
  if (failure === undefined || firstWithBatchWork === undefined) return response;
  logger.error('batch counters or change log not written; retried from their first record', {
    error: failure,
  });
  const failures = new Map(
    [...response.batchItemFailures, ...failuresFrom(event.Records, firstWithBatchWork)].map((failure) => [
      failure.itemIdentifier,
      failure,
    ]),
  );
  return { batchItemFailures: [...failures.values()] };
};

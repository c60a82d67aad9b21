/**
 * The webhook delivery function: one attempt per queue message (shared/domain/webhooks/
 * delivery.ts). A failed attempt is not an error here: its retry is a new, delayed message, so
 * the queue's own redrive (to the dead-letter queue) is left for messages this function could
 * not handle at all (a storage error), reported as partial batch failures.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeliveryTask } from '#domain/webhooks/ports.ts';
import { logger } from '#runtime/logger.ts';
import { deliveryWorker } from '#shared/services/webhooks.ts';

const processor = new BatchProcessor(EventType.SQS);

const taskOf = (record: SQSRecord): DeliveryTask | undefined => {
  try {
    const parsed = JSON.parse(record.body) as Partial<DeliveryTask>;
    if (typeof parsed.deliveryId !== 'string' || typeof parsed.attempts !== 'number') return undefined;
    return {
      deliveryId: parsed.deliveryId,
      attempts: parsed.attempts,
      ...(typeof parsed.notBefore === 'string' ? { notBefore: parsed.notBefore } : {}),
    };
  } catch {
    return undefined;
  }
};

const handleRecord = async (record: SQSRecord): Promise<void> => {
  const task = taskOf(record);
  if (!task) {
    logger.warn('webhook task unreadable: dropped', { messageId: record.messageId });
    return;
  }
  const outcome = await deliveryWorker.attempt(task, new Date(), record.messageId);
  logger.debug('webhook attempt', { deliveryId: task.deliveryId, attempts: task.attempts, outcome });
};

export const handler = async (event: SQSEvent, context: Context) =>
  // In parallel: one slow receiver (up to its 10 s) does not hold up the others' attempts.
  processPartialResponse(event, handleRecord, processor, { context, processInParallel: true });

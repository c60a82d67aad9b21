/** Functions fed by an SQS queue of their own (the webhook deliveries). */
import type { FunctionDefinition } from './functions.ts';

/** A function fed by an SQS queue of its own (the webhook deliveries). */
export interface QueueFunctionDefinition extends FunctionDefinition {
  /** Messages per invocation. */
  batchSize: number;
  /** Receives of one message before the queue's redrive moves it to the dead-letter queue. */
  maxReceiveCount: number;
  /** Per invocation; also sets the queue's visibility timeout (six times this, as Lambda advises). */
  timeoutSeconds: number;
}

export const QUEUE_FUNCTIONS: Record<string, QueueFunctionDefinition> = {
  webhookDelivery: {
    entry: 'functions/queues/webhook-delivery.ts',
    description: 'Webhook deliveries: signs and POSTs each attempt, schedules retries, gives up to the DLQ',
    // Reads endpoints, records attempts; webhooks:send re-queues retries and dead-letters.
    access: ['main:write', 'webhooks:send'],
    // Endpoints too: failing since when, disabled after days of failures (a refused write there
    // was swallowed, found by the twin's write-scope check).
    mainWrites: ['webhookDeliveries', 'webhookEndpoints'],
    batchSize: 10,
    maxReceiveCount: 5,
    // Attempts run in parallel, each at most 10 s.
    timeoutSeconds: 30,
  },
};

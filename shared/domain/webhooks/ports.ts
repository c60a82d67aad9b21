/** What the webhook services need from storage, the delivery queue and the network. */
import type { EntityMeta } from '../context.ts';
import type { Page, PageRequest } from '../page.ts';
import type { WebhookDelivery, WebhookEndpoint, WebhookEventType } from '../schemas/webhooks.ts';

/**
 * An endpoint as stored: the API shape plus its secrets (PHI-listed: never logged, redacted in
 * the ledger), the previous secret while a rotation lasts, and since when every attempt failed.
 */
export type StoredWebhookEndpoint = Omit<WebhookEndpoint, keyof EntityMeta> &
  EntityMeta & {
    secret: string;
    previousSecret?: string;
    previousSecretUntil?: string;
    failingSince?: string;
    deletedAt?: string;
  };

/** A delivery as stored: the API shape plus the exact body every attempt sends. */
export type StoredWebhookDelivery = Omit<WebhookDelivery, keyof EntityMeta> &
  EntityMeta & {
    payload: string;
    firstAttemptAt?: string;
  };

export interface WebhookEndpointRepository {
  create(endpoint: StoredWebhookEndpoint): Promise<void>;
  get(id: string): Promise<StoredWebhookEndpoint | undefined>;
  /** Every endpoint not deleted, oldest first. */
  list(page: PageRequest): Promise<Page<StoredWebhookEndpoint>>;
  /** Every enabled endpoint (a handful): what the stream consumer fans an event out to. */
  listEnabled(): Promise<StoredWebhookEndpoint[]>;
  /** Writes `next` when the stored endpoint is still `previous`'s version. */
  replace(previous: StoredWebhookEndpoint, next: StoredWebhookEndpoint): Promise<void>;
}

export interface WebhookDeliveryRepository {
  /** Conditional create; false when a delivery with this id exists (a retried stream record). */
  create(delivery: StoredWebhookDelivery): Promise<boolean>;
  get(id: string): Promise<StoredWebhookDelivery | undefined>;
  /** An endpoint's deliveries, newest first. */
  listOfEndpoint(endpointId: string, page: PageRequest): Promise<Page<StoredWebhookDelivery>>;
  /** Writes `next` when the stored delivery is still `previous`'s version; false otherwise. */
  replace(previous: StoredWebhookDelivery, next: StoredWebhookDelivery): Promise<boolean>;
}

/** One message on the delivery queue: which delivery, at which attempt count, not before when. */
export interface DeliveryTask {
  deliveryId: string;
  attempts: number;
  notBefore?: string;
}

export interface DeliveryQueue {
  /** Sends the task, delayed by up to the queue's limit (15 min); the rest is `notBefore`. */
  enqueue(task: DeliveryTask, delayMs: number): Promise<void>;
  /** Gives a delivery up to the dead-letter queue (after 24 h of retries). */
  deadLetter(task: DeliveryTask, reason: string): Promise<void>;
}

export interface AttemptResult {
  /** The receiver's status; null when no answer came (timeout, refused target, network). */
  status: number | null;
  latencyMs: number;
  /** Why no answer came (no PHI: a category, never the body). */
  error?: string;
}

export interface WebhookSender {
  post(url: string, body: string, headers: Record<string, string>): Promise<AttemptResult>;
}

export type { WebhookEventType };

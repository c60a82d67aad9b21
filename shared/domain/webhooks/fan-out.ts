/**
 * The notify consumer's webhook step: a table change's events → one delivery record per
 * subscribed, enabled endpoint, and a queue message for each. Ids derive from the stream
 * record, so a retried record finds its deliveries already written and queues nothing twice.
 */
import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';
import { newEntityMeta, SYSTEM_ACTOR } from '../context.ts';
import type { ItemChange } from '../realtime/frames.ts';
import { webhookEventsOf } from './events.ts';
import type {
  DeliveryQueue,
  StoredWebhookDelivery,
  StoredWebhookEndpoint,
  WebhookDeliveryRepository,
} from './ports.ts';

export interface FanOutPorts {
  /** The enabled endpoints (the consumer reads them once per batch). */
  enabledEndpoints(): Promise<StoredWebhookEndpoint[]>;
  deliveries: WebhookDeliveryRepository;
  queue: DeliveryQueue;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID whose time is the event's and whose random part is a hash of (stream record, endpoint,
 * type): sorted by time like every id, and the same on every retry of the record.
 */
export const deliveryIdOf = (eventTimeMs: number, ...parts: readonly string[]): string => {
  const digest = createHash('sha256').update(parts.join('\n')).digest();
  const random = Array.from(digest.subarray(0, 16), (byte) => CROCKFORD[byte % 32]).join('');
  return `${encodeTime(eventTimeMs, 10)}${random}`;
};

const neverSent = async (deliveries: WebhookDeliveryRepository, id: string): Promise<boolean> => {
  const existing = await deliveries.get(id);
  return existing?.state === 'pending' && existing.attempts === 0;
};

export const createWebhookFanOut = (ports: FanOutPorts) => ({
  /** Writes and queues the deliveries of one change; answers how many were queued. */
  handle: async (change: ItemChange, source: { eventId: string; now: Date }): Promise<number> => {
    const events = webhookEventsOf(change);
    if (events.length === 0) return 0;
    const endpoints = await ports.enabledEndpoints();
    const context = { actor: SYSTEM_ACTOR, now: source.now, requestId: source.eventId };
    let queued = 0;
    for (const event of events) {
      const eventTimeMs = Date.parse(event.payload.timestamp) || source.now.getTime();
      for (const endpoint of endpoints.filter((candidate) => candidate.eventTypes.includes(event.type))) {
        const id = deliveryIdOf(eventTimeMs, source.eventId, endpoint.id, event.type);
        const delivery: StoredWebhookDelivery = {
          id,
          endpointId: endpoint.id,
          eventType: event.type,
          webhookId: `msg_${id}`,
          payload: JSON.stringify(event.payload),
          attempts: 0,
          lastStatus: null,
          lastLatencyMs: null,
          state: 'pending',
          ...newEntityMeta(context),
        };
        // Written by an earlier try of this record: queue it again only if it never left (the
        // queue send may be what failed); receivers dedupe by `webhook-id` as the spec asks.
        if (!(await ports.deliveries.create(delivery)) && !(await neverSent(ports.deliveries, id))) continue;
        await ports.queue.enqueue({ deliveryId: id, attempts: 0 }, 0);
        queued += 1;
      }
    }
    return queued;
  },
});

import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSqsDeliveryQueue, delaySecondsOf } from '../../shared/data/webhook-queue.ts';
import { createDeliveryWorker } from '../../shared/domain/webhooks/delivery.ts';
import type {
  AttemptResult,
  DeliveryTask,
  StoredWebhookDelivery,
  StoredWebhookEndpoint,
} from '../../shared/domain/webhooks/ports.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const T0 = new Date('2026-03-02T09:00:00.000Z');
const meta = {
  version: 1,
  createdAt: T0.toISOString(),
  updatedAt: T0.toISOString(),
  lastActor: { userId: 'system', roles: ['system'], requestId: 'r', action: 'create' },
};

const endpointRecord = (): StoredWebhookEndpoint => ({
  id: '01JQ00000000000000000000EP',
  url: 'https://hooks.example.org/in',
  eventTypes: ['contract.acknowledged'],
  enabled: true,
  secret: SECRET,
  ...meta,
});

const deliveryRecord = (): StoredWebhookDelivery => ({
  id: '01JQ00000000000000000000DL',
  endpointId: '01JQ00000000000000000000EP',
  eventType: 'contract.acknowledged',
  webhookId: 'msg_01JQ00000000000000000000DL',
  payload: JSON.stringify({
    type: 'contract.acknowledged',
    timestamp: T0.toISOString(),
    data: { contractId: 'c' },
  }),
  attempts: 0,
  lastStatus: null,
  lastLatencyMs: null,
  state: 'pending',
  ...meta,
});

/** In-memory stores with the repositories' version conditions, a recording queue and sender. */
const harness = (answers: Array<number | null>) => {
  const endpoints = new Map([[endpointRecord().id, endpointRecord()]]);
  const deliveries = new Map([[deliveryRecord().id, deliveryRecord()]]);
  const queued: Array<{ task: DeliveryTask; delayMs: number }> = [];
  const dead: DeliveryTask[] = [];
  const posts: Array<{ body: string; headers: Record<string, string> }> = [];
  const alerts: string[] = [];
  const worker = createDeliveryWorker({
    endpoints: {
      create: async () => undefined,
      get: async (id) => endpoints.get(id),
      list: async () => ({ items: [] }),
      listEnabled: async () => [...endpoints.values()],
      replace: async (previous, next) => {
        if (endpoints.get(previous.id)?.version !== previous.version) throw new Error('stale');
        endpoints.set(next.id, next);
      },
    },
    deliveries: {
      create: async () => true,
      get: async (id) => deliveries.get(id),
      listOfEndpoint: async () => ({ items: [] }),
      replace: async (previous, next) => {
        if (deliveries.get(previous.id)?.version !== previous.version) return false;
        deliveries.set(next.id, next);
        return true;
      },
    },
    queue: {
      enqueue: async (task, delayMs) => void queued.push({ task, delayMs }),
      deadLetter: async (task) => void dead.push(task),
    },
    sender: {
      post: async (_url, body, headers): Promise<AttemptResult> => {
        posts.push({ body, headers });
        return { status: answers.shift() ?? null, latencyMs: 12 };
      },
    },
    alertDisabled: async (endpoint) => void alerts.push(endpoint.id),
    timeScale: 1,
    random: () => 1,
  });
  return { worker, endpoints, deliveries, queued, dead, posts, alerts };
};

describe('webhook delivery worker', () => {
  it('delivers a signed body and records the attempt', async () => {
    // Prepare
    const { worker, deliveries, posts } = harness([204]);

    // Act
    const outcome = await worker.attempt({ deliveryId: deliveryRecord().id, attempts: 0 }, T0, 'm1');

    // Assess
    expect(outcome).toBe('delivered');
    const [post] = posts;
    // The receiver checks the timestamp against its own clock: verify as of the attempt.
    vi.useFakeTimers({ now: T0, toFake: ['Date'] });
    const verified = new Webhook(SECRET).verify(post?.body ?? '', post?.headers ?? {});
    vi.useRealTimers();
    expect(verified).toMatchObject({ type: 'contract.acknowledged' });
    expect(deliveries.get(deliveryRecord().id)).toMatchObject({
      state: 'delivered',
      attempts: 1,
      lastStatus: 204,
      lastLatencyMs: 12,
    });
  });

  it('retries a failure later with the same webhook-id, then delivers', async () => {
    // Prepare
    const { worker, deliveries, queued, posts } = harness([500, 200]);
    await worker.attempt({ deliveryId: deliveryRecord().id, attempts: 0 }, T0, 'm1');
    const [retry] = queued;
    const later = new Date(Date.parse(retry?.task.notBefore ?? '') + 1);

    // Act
    const outcome = await worker.attempt(retry?.task ?? { deliveryId: '', attempts: 0 }, later, 'm2');

    // Assess
    expect(retry).toMatchObject({ delayMs: 5_000, task: { attempts: 1 } });
    expect(outcome).toBe('delivered');
    expect(posts.map((post) => post.headers['webhook-id'])).toEqual([
      'msg_01JQ00000000000000000000DL',
      'msg_01JQ00000000000000000000DL',
    ]);
    expect(posts[0]?.headers['webhook-timestamp']).not.toBe(posts[1]?.headers['webhook-timestamp']);
    expect(deliveries.get(deliveryRecord().id)).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('ignores a duplicate message of an attempt already made', async () => {
    // Prepare
    const { worker, posts } = harness([200, 200]);
    await worker.attempt({ deliveryId: deliveryRecord().id, attempts: 0 }, T0, 'm1');

    // Act
    const outcome = await worker.attempt({ deliveryId: deliveryRecord().id, attempts: 0 }, T0, 'm1-again');

    // Assess
    expect(outcome).toBe('skipped');
    expect(posts).toHaveLength(1);
  });

  it('postpones a message that arrives before its time (SQS delays at most 15 min)', async () => {
    // Prepare
    const { worker, queued, posts } = harness([]);
    const notBefore = new Date(T0.getTime() + 3_600_000).toISOString();

    // Act
    const outcome = await worker.attempt(
      { deliveryId: deliveryRecord().id, attempts: 0, notBefore },
      T0,
      'm1',
    );

    // Assess
    expect(outcome).toBe('postponed');
    expect(posts).toHaveLength(0);
    expect(queued).toEqual([
      { task: { deliveryId: deliveryRecord().id, attempts: 0, notBefore }, delayMs: 3_600_000 },
    ]);
  });

  it('gives up to the dead-letter queue after 24 h of failures', async () => {
    // Prepare
    const { worker, deliveries, dead, queued } = harness([500, 503]);
    await worker.attempt({ deliveryId: deliveryRecord().id, attempts: 0 }, T0, 'm1');
    const dayLater = new Date(T0.getTime() + 86_400_000);

    // Act
    const outcome = await worker.attempt({ deliveryId: deliveryRecord().id, attempts: 1 }, dayLater, 'm2');

    // Assess
    expect(outcome).toBe('failed');
    expect(dead).toEqual([{ deliveryId: deliveryRecord().id, attempts: 2 }]);
    expect(queued).toHaveLength(1);
    expect(deliveries.get(deliveryRecord().id)).toMatchObject({
      state: 'failed',
      attempts: 2,
      lastStatus: 503,
    });
  });

  it('disables an endpoint whose every attempt failed for 5 days, and alerts', async () => {
    // Prepare
    const { worker, endpoints, alerts } = harness([500]);
    const failingSince = new Date(T0.getTime() - 5 * 86_400_000).toISOString();
    endpoints.set(endpointRecord().id, { ...endpointRecord(), failingSince });

    // Act
    await worker.attempt({ deliveryId: deliveryRecord().id, attempts: 0 }, T0, 'm1');

    // Assess
    expect(endpoints.get(endpointRecord().id)).toMatchObject({
      enabled: false,
      lastActor: { action: 'disable' },
    });
    expect(alerts).toEqual([endpointRecord().id]);
  });

  it('clears the failing mark on a success', async () => {
    // Prepare
    const { worker, endpoints, alerts } = harness([200]);
    endpoints.set(endpointRecord().id, { ...endpointRecord(), failingSince: T0.toISOString() });

    // Act
    await worker.attempt({ deliveryId: deliveryRecord().id, attempts: 0 }, T0, 'm1');

    // Assess
    expect(endpoints.get(endpointRecord().id)?.failingSince).toBeUndefined();
    expect(alerts).toEqual([]);
  });
});

describe('webhook delivery queue (SQS)', () => {
  const sqs = mockClient(SQSClient);
  beforeEach(() => {
    vi.stubEnv('WEBHOOK_QUEUE_URL', 'https://sqs.example/queue');
    vi.stubEnv('WEBHOOK_DLQ_URL', 'https://sqs.example/dlq');
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
  });
  afterEach(() => vi.unstubAllEnvs());

  it('sends a task delayed by whole seconds, at most 15 minutes', async () => {
    // Prepare
    const queue = createSqsDeliveryQueue(new SQSClient({ region: 'us-east-1' }));

    // Act
    await queue.enqueue({ deliveryId: 'd', attempts: 1, notBefore: T0.toISOString() }, 3_600_000);

    // Assess
    expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: 'https://sqs.example/queue',
      MessageBody: JSON.stringify({ deliveryId: 'd', attempts: 1, notBefore: T0.toISOString() }),
      DelaySeconds: 900,
    });
    expect([delaySecondsOf(0), delaySecondsOf(5), delaySecondsOf(1_500)]).toEqual([0, 1, 2]);
  });

  it('dead-letters a given-up delivery on the dead-letter queue', async () => {
    // Prepare
    const queue = createSqsDeliveryQueue(new SQSClient({ region: 'us-east-1' }));

    // Act
    await queue.deadLetter({ deliveryId: 'd', attempts: 30 }, 'status 500');

    // Assess
    expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input).toMatchObject({
      QueueUrl: 'https://sqs.example/dlq',
      MessageBody: JSON.stringify({ deliveryId: 'd', attempts: 30, reason: 'status 500' }),
    });
  });
});

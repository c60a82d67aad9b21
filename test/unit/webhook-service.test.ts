import { describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../shared/domain/context.ts';
import type {
  DeliveryTask,
  StoredWebhookDelivery,
  StoredWebhookEndpoint,
} from '../../shared/domain/webhooks/ports.ts';
import { createWebhookService } from '../../shared/domain/webhooks/service.ts';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const admin: ServiceContext = { actor: { userId: 'ada', roles: ['admin'] }, now: NOW, requestId: 'r1' };
const recruiter: ServiceContext = {
  actor: { userId: 'rex', roles: ['recruiter'] },
  now: NOW,
  requestId: 'r2',
};

const harness = () => {
  const endpoints = new Map<string, StoredWebhookEndpoint>();
  const deliveries = new Map<string, StoredWebhookDelivery>();
  const queued: DeliveryTask[] = [];
  let secrets = 0;
  const service = createWebhookService({
    endpoints: {
      create: async (endpoint) => void endpoints.set(endpoint.id, endpoint),
      get: async (id) => endpoints.get(id),
      list: async () => ({ items: [...endpoints.values()] }),
      listEnabled: async () => [...endpoints.values()],
      replace: async (previous, next) => {
        if (endpoints.get(previous.id)?.version !== previous.version) throw new Error('stale');
        endpoints.set(next.id, next);
      },
    },
    deliveries: {
      create: async () => true,
      get: async (id) => deliveries.get(id),
      listOfEndpoint: async () => ({ items: [...deliveries.values()] }),
      replace: async (_previous, next) => {
        deliveries.set(next.id, next);
        return true;
      },
    },
    queue: { enqueue: async (task) => void queued.push(task), deadLetter: async () => undefined },
    targets: { allowLocal: false },
    newId: () => '01JQ00000000000000000000EP',
    newSecret: () => {
      secrets += 1;
      return `whsec_secret${secrets}`;
    },
  });
  return { service, endpoints, deliveries, queued };
};

const BODY = { url: 'https://hooks.example.org/in', eventTypes: ['contract.acknowledged' as const] };

describe('webhook endpoints', () => {
  it('shows the secret once, at creation, and never in a read', async () => {
    // Prepare
    const { service } = harness();

    // Act
    const created = await service.create(admin, BODY);
    const read = await service.get(admin, created.id);

    // Assess
    expect(created).toMatchObject({ url: BODY.url, enabled: true, secret: 'whsec_secret1' });
    expect(JSON.stringify(read)).not.toContain('whsec_');
  });

  it('refuses a private target (422) and a non-admin caller (403)', async () => {
    // Prepare
    const { service } = harness();

    // Act
    const privateTarget = service.create(admin, { ...BODY, url: 'https://169.254.169.254/latest' });
    const byRecruiter = service.create(recruiter, BODY);

    // Assess
    await expect(privateTarget).rejects.toMatchObject({ status: 422 });
    await expect(byRecruiter).rejects.toMatchObject({ status: 403 });
  });

  it('rotates the secret, the old one signing for 24 h more', async () => {
    // Prepare
    const { service, endpoints } = harness();
    const { id } = await service.create(admin, BODY);

    // Act
    const { secret } = await service.rotateSecret(admin, id);

    // Assess
    expect(secret).toBe('whsec_secret2');
    expect(endpoints.get(id)).toMatchObject({
      secret: 'whsec_secret2',
      previousSecret: 'whsec_secret1',
      previousSecretUntil: '2026-03-03T09:00:00.000Z',
      lastActor: { action: 'rotateSecret' },
    });
  });

  it('disables with PATCH, and a stale If-Match is 412', async () => {
    // Prepare
    const { service } = harness();
    const { id } = await service.create(admin, BODY);

    // Act
    const disabled = await service.update(admin, id, 1, { enabled: false });
    const stale = service.update(admin, id, 1, { description: 'late' });

    // Assess
    expect(disabled).toMatchObject({ enabled: false, version: 2 });
    await expect(stale).rejects.toMatchObject({ status: 412 });
  });

  it('replays a delivery: pending again, queued at its attempt count, webhook-id kept', async () => {
    // Prepare
    const { service, deliveries, queued } = harness();
    const { id: endpointId } = await service.create(admin, BODY);
    deliveries.set('D1', {
      id: 'D1',
      endpointId,
      eventType: 'contract.acknowledged',
      webhookId: 'msg_D1',
      payload: '{}',
      attempts: 3,
      lastStatus: 200,
      lastLatencyMs: 5,
      state: 'delivered',
      firstAttemptAt: NOW.toISOString(),
      version: 4,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      lastActor: { userId: 'system', roles: ['system'], requestId: 'x', action: 'delivery' },
    });

    // Act
    const replayed = await service.replay(admin, 'D1');

    // Assess
    expect(replayed).toMatchObject({ state: 'pending', webhookId: 'msg_D1', attempts: 3 });
    expect(queued).toEqual([{ deliveryId: 'D1', attempts: 3 }]);
    expect(deliveries.get('D1')).toMatchObject({ lastActor: { action: 'replay' } });
    expect(deliveries.get('D1')?.firstAttemptAt).toBeUndefined();
  });
});

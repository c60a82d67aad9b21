/**
 * The webhook stores against DynamoDB Local, on a table of their own (every endpoint shares one
 * list partition): endpoints listed until deleted, only enabled ones fanned out to, writes
 * conditional on the version read; deliveries written once per id and listed newest first.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAIN_TABLE } from '#data/tables.ts';
import type {
  StoredWebhookDelivery,
  StoredWebhookEndpoint,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
} from '#domain/webhooks/ports.ts';
import { ensureTable } from '../../local/tables.ts';
import { startTestDynamoDb, stubRepositoryEnv } from './helpers.ts';

const tableName = 'WebhookRepositoryTest';
const AT = '2026-03-02T09:00:00.000Z';
const meta = {
  version: 1,
  createdAt: AT,
  updatedAt: AT,
  lastActor: { userId: 'ada', roles: ['admin'], requestId: 'r1', action: 'create' },
};

let ddb: Awaited<ReturnType<typeof startTestDynamoDb>>;
let endpoints: WebhookEndpointRepository;
let deliveries: WebhookDeliveryRepository;

beforeAll(async () => {
  ddb = await startTestDynamoDb('webhooks');
  const { stream: _noStream, ...withoutStream } = MAIN_TABLE;
  await ensureTable(ddb.client, withoutStream, tableName);
  stubRepositoryEnv(ddb.endpoint, tableName);
  ({ webhookEndpointRepository: endpoints, webhookDeliveryRepository: deliveries } = await import(
    '#data/webhooks.ts'
  ));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await ddb?.client.send(new DeleteTableCommand({ TableName: tableName }));
  await ddb?.stop();
});

const endpoint = (id: string, enabled = true): StoredWebhookEndpoint => ({
  id,
  url: `https://hooks.example.org/${id}`,
  eventTypes: ['contract.offered'],
  enabled,
  secret: `whsec_${id}`,
  ...meta,
});

const delivery = (id: string, endpointId: string): StoredWebhookDelivery => ({
  id,
  endpointId,
  eventType: 'contract.offered',
  webhookId: `msg_${id}`,
  payload: '{}',
  attempts: 0,
  lastStatus: null,
  lastLatencyMs: null,
  state: 'pending',
  ...meta,
});

describe('webhook endpoints', () => {
  it('are listed until deleted, fanned out to while enabled, and written on the version read', async () => {
    const [live, off, gone] = [
      endpoint('01JQ000000000000000000EP01'),
      endpoint('01JQ000000000000000000EP02', false),
      endpoint('01JQ000000000000000000EP03'),
    ];
    for (const item of [live, off, gone]) await endpoints.create(item);

    await endpoints.replace(gone, { ...gone, version: 2, deletedAt: AT, enabled: false });
    await endpoints.replace(live, { ...live, version: 2, description: 'first' });
    const stale = await endpoints.replace(live, { ...live, version: 2, description: 'late' }).then(
      () => 'written',
      () => 'refused',
    );

    expect((await endpoints.list({ limit: 10 })).items.map((item) => item.id)).toEqual([live.id, off.id]);
    expect((await endpoints.listEnabled()).map((item) => item.id)).toEqual([live.id]);
    expect(stale).toBe('refused');
    expect(await endpoints.get(live.id)).toMatchObject({
      version: 2,
      description: 'first',
      secret: `whsec_${live.id}`,
    });
  });
});

describe('webhook deliveries', () => {
  it('are written once per id and listed newest first under their endpoint', async () => {
    const endpointId = '01JQ000000000000000000EP01';
    const first = delivery('01JQ000000000000000000DL01', endpointId);
    const second = delivery('01JQ000000000000000000DL02', endpointId);

    const created = [
      await deliveries.create(first),
      await deliveries.create(second),
      await deliveries.create(first),
    ];
    const moved = await deliveries.replace(first, { ...first, version: 2, attempts: 1, state: 'delivered' });
    const lost = await deliveries.replace(first, { ...first, version: 2, attempts: 1 });

    expect(created).toEqual([true, true, false]);
    expect([moved, lost]).toEqual([true, false]);
    expect((await deliveries.listOfEndpoint(endpointId, { limit: 10 })).items.map((item) => item.id)).toEqual(
      [second.id, first.id],
    );
    expect(await deliveries.get(first.id)).toMatchObject({ state: 'delivered', attempts: 1 });
  });
});

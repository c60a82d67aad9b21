import { describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '../../shared/domain/schemas/webhooks.ts';
import { WEBHOOK_KINDS, webhookEventsOf } from '../../shared/domain/webhooks/events.ts';
import { createWebhookFanOut, deliveryIdOf } from '../../shared/domain/webhooks/fan-out.ts';
import type { StoredWebhookDelivery, StoredWebhookEndpoint } from '../../shared/domain/webhooks/ports.ts';
import { STREAM_CONSUMERS } from '../../shared/functions.ts';

const contract = (status: string) => ({
  kind: 'Contract',
  id: '01JQ0000000000000000000CT1',
  staffId: '01JQ0000000000000000000ST1',
  ownerUserId: 'nia',
  status,
  currentVersion: 2,
  title: 'ICU nights',
  terms: 'Confidential terms',
  startDate: '2026-04-06',
  endDate: '2026-07-05',
  updatedAt: '2026-03-02T09:00:00.000Z',
});

const credential = (status: string, expiryWarning: number | null = null) => ({
  kind: 'Credential',
  id: '01JQ0000000000000000000CR1',
  staffId: '01JQ0000000000000000000ST1',
  type: 'RN',
  number: 'RN-123456',
  status,
  expiryDate: '2026-06-30',
  expiryWarning,
  updatedAt: '2026-03-02T09:00:00.000Z',
});

describe('webhook events of table changes', () => {
  it.each([
    ['offered', 'contract.offered'],
    ['acknowledged', 'contract.acknowledged'],
    ['active', 'contract.activated'],
    ['completed', 'contract.completed'],
    ['terminated', 'contract.terminated'],
  ])('a contract reaching %s makes %s, with ids, states and dates only', (status, type) => {
    // Act
    const events = webhookEventsOf({
      eventName: 'MODIFY',
      oldImage: contract('draft'),
      newImage: contract(status),
    });

    // Assess
    expect(events).toEqual([
      {
        type,
        payload: {
          type,
          timestamp: '2026-03-02T09:00:00.000Z',
          data: {
            contractId: '01JQ0000000000000000000CT1',
            staffId: '01JQ0000000000000000000ST1',
            status,
            previousStatus: 'draft',
            currentVersion: 2,
            startDate: '2026-04-06',
            endDate: '2026-07-05',
          },
        },
      },
    ]);
  });

  it('makes nothing for an edit that leaves the status alone', () => {
    // Act
    const events = webhookEventsOf({
      eventName: 'MODIFY',
      oldImage: contract('offered'),
      newImage: contract('offered'),
    });

    // Assess
    expect(events).toEqual([]);
  });

  it.each([
    [credential('pending'), credential('active'), ['credential.verified']],
    [credential('active'), credential('active', 30), ['credential.expiring']],
    [credential('active', 7), credential('expired', 7), ['credential.expired']],
    [credential('active'), credential('revoked'), ['credential.revoked']],
  ])('a credential change makes its events, never its number', (oldImage, newImage, types) => {
    // Act
    const events = webhookEventsOf({ eventName: 'MODIFY', oldImage, newImage });

    // Assess
    expect(events.map((event) => event.type)).toEqual(types);
    expect(JSON.stringify(events)).not.toContain('RN-123456');
  });

  it('makes appointment.created and appointment.cancelled', () => {
    // Prepare
    const appointment = {
      kind: 'Appointment',
      id: 'A',
      staffId: 'S',
      status: 'scheduled',
      startAt: '2026-04-06T19:00:00Z',
      notes: 'secret',
    };

    // Act
    const created = webhookEventsOf({ eventName: 'INSERT', newImage: appointment });
    const cancelled = webhookEventsOf({
      eventName: 'MODIFY',
      oldImage: appointment,
      newImage: { ...appointment, status: 'cancelled', reason: 'private' },
    });

    // Assess
    expect(created.map((event) => event.type)).toEqual(['appointment.created']);
    expect(cancelled.map((event) => event.type)).toEqual(['appointment.cancelled']);
    expect(JSON.stringify([...created, ...cancelled])).not.toMatch(/secret|private/);
  });

  it('makes staff.flagged once, when a monitoring flag is raised, without the name or date of birth', () => {
    // Prepare
    const flag = {
      kind: 'CredentialingFlag',
      id: '01JQ0000000000000000000VR1',
      staffId: '01JQ0000000000000000000ST1',
      staffName: 'Dagny Halvorsen',
      ownerUserId: 'dagny',
      dateOfBirth: '1979-03-12',
      source: 'leie',
      result: 'match',
      raisedAt: '2026-03-02T07:00:00.000Z',
      status: 'open',
      createdAt: '2026-03-02T07:00:01.000Z',
    };

    // Act
    const raised = webhookEventsOf({ eventName: 'INSERT', newImage: flag });
    const resolved = webhookEventsOf({
      eventName: 'MODIFY',
      oldImage: flag,
      newImage: { ...flag, status: 'cleared', updatedAt: '2026-03-03T09:00:00.000Z' },
    });

    // Assess
    expect(raised).toEqual([
      {
        type: 'staff.flagged',
        payload: {
          type: 'staff.flagged',
          timestamp: '2026-03-02T07:00:01.000Z',
          data: {
            flagId: '01JQ0000000000000000000VR1',
            staffId: '01JQ0000000000000000000ST1',
            source: 'leie',
            result: 'match',
            status: 'open',
            raisedAt: '2026-03-02T07:00:00.000Z',
          },
        },
      },
    ]);
    expect(resolved).toEqual([]);
    expect(JSON.stringify(raised)).not.toMatch(/Dagny|1979|dagny/);
  });

  it('are fed by the notify consumer: its stream filter holds every kind that makes one', () => {
    // Assess
    expect(STREAM_CONSUMERS.notify?.kinds).toEqual(expect.arrayContaining([...WEBHOOK_KINDS]));
    expect(WEBHOOK_EVENT_TYPES).toHaveLength(12);
  });
});

describe('webhook fan-out', () => {
  const endpoint = (id: string, eventTypes: StoredWebhookEndpoint['eventTypes']): StoredWebhookEndpoint => ({
    id,
    url: 'https://hooks.example.org',
    eventTypes,
    enabled: true,
    secret: 'whsec_x',
    version: 1,
    createdAt: '',
    updatedAt: '',
    lastActor: { userId: 'admin', roles: ['admin'], requestId: 'r', action: 'create' },
  });

  const harness = () => {
    const stored = new Map<string, StoredWebhookDelivery>();
    const queued: string[] = [];
    const fanOut = createWebhookFanOut({
      enabledEndpoints: async () => [
        endpoint('E1', ['contract.acknowledged']),
        endpoint('E2', ['credential.verified']),
      ],
      deliveries: {
        create: async (delivery) => {
          if (stored.has(delivery.id)) return false;
          stored.set(delivery.id, delivery);
          return true;
        },
        get: async (id) => stored.get(id),
        listOfEndpoint: async () => ({ items: [] }),
        replace: async () => true,
      },
      queue: {
        enqueue: async (task) => void queued.push(task.deliveryId),
        deadLetter: async () => undefined,
      },
    });
    return { fanOut, stored, queued };
  };

  it('queues one delivery per subscribed endpoint, and none twice for a retried record', async () => {
    // Prepare
    const { fanOut, stored, queued } = harness();
    const change = {
      eventName: 'MODIFY' as const,
      oldImage: contract('offered'),
      newImage: contract('acknowledged'),
    };
    const now = new Date('2026-03-02T09:00:01.000Z');
    await fanOut.handle(change, { eventId: 'ev-1', now });
    const [delivery] = [...stored.values()];
    if (delivery) stored.set(delivery.id, { ...delivery, attempts: 1 });

    // Act
    const again = await fanOut.handle(change, { eventId: 'ev-1', now });

    // Assess
    expect(again).toBe(0);
    expect(queued).toHaveLength(1);
    expect([...stored.values()].map((item) => [item.endpointId, item.eventType, item.webhookId])).toEqual([
      [
        'E1',
        'contract.acknowledged',
        `msg_${deliveryIdOf(Date.parse('2026-03-02T09:00:00.000Z'), 'ev-1', 'E1', 'contract.acknowledged')}`,
      ],
    ]);
  });

  it('queues again a delivery written by an earlier try that never left', async () => {
    // Prepare
    const { fanOut, queued } = harness();
    const change = {
      eventName: 'MODIFY' as const,
      oldImage: contract('offered'),
      newImage: contract('acknowledged'),
    };
    await fanOut.handle(change, { eventId: 'ev-2', now: new Date() });

    // Act
    await fanOut.handle(change, { eventId: 'ev-2', now: new Date() });

    // Assess
    expect(queued).toHaveLength(2);
    expect(queued[0]).toBe(queued[1]);
    expect(queued[0]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});

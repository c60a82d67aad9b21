import { describe, expect, it } from 'vitest';
import { realtimeChangeOf } from '#data/stream-images.ts';
import { notificationOf } from '#domain/realtime/frames.ts';
import { STREAM_CONSUMERS } from '#shared/functions.ts';
import { streamRecord } from './support/stream-records.ts';

const change = (...args: Parameters<typeof streamRecord>) => realtimeChangeOf(streamRecord(...args));

const message = {
  kind: 'Message',
  id: '01JQ0000000000000000000001',
  conversationId: '01JQ00000000000000000000CV',
  senderId: 'alice',
  clientMessageId: 'c-1',
  body: 'Can you cover Friday?',
  attachments: [],
  sentAt: '2026-03-02T09:00:00.000Z',
  lastActor: { userId: 'alice', roles: ['recruiter'], requestId: 'r1', action: 'create' },
};

const member = {
  kind: 'ConversationMember',
  conversationId: message.conversationId,
  userId: 'bob',
  unreadIds: new Set(['01JQ0000000000000000000001']),
};

describe('frames from item images', () => {
  it('wakes the notify consumer for exactly the kinds that make frames or offline sync changes', () => {
    expect([...(STREAM_CONSUMERS.notify?.kinds ?? [])].sort()).toEqual([
      'Appointment',
      'Contract',
      'ConversationMember',
      'Credential',
      'CredentialingFlag',
      'Message',
      'StaffProfile',
      'WebhookEndpoint',
    ]);
  });

  it('makes webhook.endpoint.disabled when the service disables an endpoint, to the desk (admins by policy)', () => {
    // Prepare
    const endpoint = {
      kind: 'WebhookEndpoint',
      id: 'EP1',
      url: 'https://ats.example.com/hooks',
      eventTypes: ['contract.offered'],
      secret: 'whsec_c2VjcmV0',
      enabled: true,
      failingSince: '2026-02-25T09:00:00.000Z',
      updatedAt: '2026-03-01T09:00:00.000Z',
    };
    const disabled = {
      ...endpoint,
      enabled: false,
      disabledReason: 'every attempt failed for 5 days',
      updatedAt: '2026-03-02T09:00:00.000Z',
    };

    // Act
    const byService = notificationOf({ eventName: 'MODIFY', oldImage: endpoint, newImage: disabled });
    const byAdmin = notificationOf({
      eventName: 'MODIFY',
      oldImage: endpoint,
      newImage: { ...endpoint, enabled: false },
    });
    const stillDisabled = notificationOf({ eventName: 'MODIFY', oldImage: disabled, newImage: disabled });

    // Assess
    expect(byService).toEqual({
      frame: {
        type: 'webhook.endpoint.disabled',
        endpointId: 'EP1',
        url: 'https://ats.example.com/hooks',
        disabledReason: 'every attempt failed for 5 days',
        failingSince: '2026-02-25T09:00:00.000Z',
        disabledAt: '2026-03-02T09:00:00.000Z',
      },
      audience: { resource: 'Webhook', desk: true },
    });
    expect(JSON.stringify(byService)).not.toContain('whsec_');
    expect(byAdmin).toBeUndefined();
    expect(stillDisabled).toBeUndefined();
  });

  it('makes message.created for a new message, to the conversation', () => {
    expect(notificationOf(change('INSERT', message))).toEqual({
      audience: { conversationId: message.conversationId },
      frame: {
        type: 'message.created',
        conversationId: message.conversationId,
        message: {
          id: message.id,
          conversationId: message.conversationId,
          senderId: 'alice',
          clientMessageId: 'c-1',
          body: message.body,
          attachments: [],
          sentAt: message.sentAt,
          readBy: {},
        },
      },
    });
    expect(notificationOf(change('MODIFY', message, message))).toBeUndefined();
  });

  it('makes message.read when a receipt moves forward, not for counters or a new membership', () => {
    const read = {
      ...member,
      readUpTo: message.id,
      readAt: '2026-03-02T09:01:00.000Z',
      lastActor: { action: 'read' },
    };
    expect(notificationOf(change('MODIFY', read, member))?.frame).toEqual({
      type: 'message.read',
      conversationId: message.conversationId,
      userId: 'bob',
      upToMessageId: message.id,
      readAt: read.readAt,
    });
    const counters = { ...read, lastActor: { action: 'counters' } };
    expect(notificationOf(change('MODIFY', counters, read))).toBeUndefined();
    expect(notificationOf(change('MODIFY', read, read))).toBeUndefined();
    expect(notificationOf(change('INSERT', { ...member, lastActor: { action: 'create' } }))).toBeUndefined();
  });

  it.each([
    [
      'contract.updated',
      { kind: 'Contract', id: 'K1', ownerUserId: 'sam', status: 'offered', currentVersion: 2, terms: 'x' },
      { contractId: 'K1', status: 'offered', currentVersion: 2 },
      'Contract',
    ],
    [
      'credential.updated',
      {
        kind: 'Credential',
        id: 'C1',
        ownerUserId: 'sam',
        staffId: 'S1',
        status: 'active',
        expiryWarning: 30,
      },
      { credentialId: 'C1', staffId: 'S1', status: 'active', expiryWarning: 30 },
      'Credential',
    ],
    [
      'appointment.updated',
      {
        kind: 'Appointment',
        id: 'A1',
        ownerUserId: 'sam',
        staffId: 'S1',
        status: 'confirmed',
        startAt: '2026-03-03T07:00:00.000Z',
        notes: 'bring badge',
      },
      { appointmentId: 'A1', staffId: 'S1', status: 'confirmed', startAt: '2026-03-03T07:00:00.000Z' },
      'Appointment',
    ],
  ])('makes %s for the owner only, when what it says changed', (type, item, fields, resource) => {
    const created = notificationOf(change('INSERT', item));
    expect(created).toEqual({ frame: { type, ...fields }, audience: { ownerUserId: 'sam', resource } });
    // No PHI in frames of owned items: only ids, states and times.
    expect(JSON.stringify(created)).not.toMatch(/bring badge|"terms"/);
    expect(notificationOf(change('MODIFY', { ...item, version: 3 }, item))).toBeUndefined();
    expect(notificationOf(change('MODIFY', { ...item, status: 'changed' }, item))?.frame).toMatchObject({
      status: 'changed',
    });
  });

  it('maps a credential without a warning to expiryWarning null', () => {
    const credential = { kind: 'Credential', id: 'C1', ownerUserId: 'sam', staffId: 'S1', status: 'pending' };
    expect(notificationOf(change('INSERT', credential))?.frame).toMatchObject({ expiryWarning: null });
  });

  it('ignores other kinds, removals and images missing fields', () => {
    expect(notificationOf(change('INSERT', { kind: 'StaffProfile', id: 'P1' }))).toBeUndefined();
    expect(notificationOf(change('REMOVE', undefined, message))).toBeUndefined();
    expect(notificationOf(change('INSERT', { kind: 'Contract', id: 'K1' }))).toBeUndefined();
  });
});

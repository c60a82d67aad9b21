import { describe, expect, it } from 'vitest';
import type { AppointmentRecord } from '#domain/appointments/ports.ts';
import type { ServiceContext } from '#domain/context.ts';
import type { ContractRecord } from '#domain/contracts/ports.ts';
import { Forbidden, NotFound } from '#domain/errors.ts';
import type { MembershipRecord, MessageRecord } from '#domain/messaging/ports.ts';
import { pageReads, type SyncRecords, type SyncShows } from '#domain/sync/page-reads.ts';
import type { LoggedChange } from '#domain/sync/ports.ts';
import { contextOf } from './support/sync-fakes.ts';

const contract = (id: string, ownerUserId: string) => ({ id, ownerUserId }) as unknown as ContractRecord;
const membership = (conversationId: string, userId: string) =>
  ({
    conversationId,
    id: conversationId,
    userId,
    participantIds: [userId, 'rex'],
    unreadIds: [],
  }) as unknown as MembershipRecord;
const message = (id: string, conversationId: string) =>
  ({
    id,
    conversationId,
    senderId: 'rex',
    clientMessageId: id,
    body: 'hi',
    attachments: [],
    sentAt: '',
  }) as MessageRecord;

const change = (
  entityType: LoggedChange['entityType'],
  id: string,
  conversationId?: string,
): LoggedChange => ({
  entityType,
  id,
  op: 'upsert',
  version: 1,
  at: '',
  ...(conversationId ? { conversationId } : {}),
});

/** Stored items in memory, each batch read noted. */
const recordsOf = (calls: string[]): SyncRecords => {
  const batch =
    <R extends { id: string }>(kind: string, stored: R[]) =>
    async (ids: readonly string[]) => {
      calls.push(`${kind}:${[...ids].sort().join(',')}`);
      return stored.filter((record) => ids.includes(record.id));
    };
  return {
    profiles: batch('profiles', []),
    credentials: batch('credentials', []),
    contracts: batch('contracts', [contract('C1', 'nia'), contract('C2', 'nia'), contract('C3', 'rex')]),
    appointments: batch('appointments', [] as AppointmentRecord[]),
    memberships: async (userId, ids) => {
      calls.push(`memberships:${userId}:${[...ids].sort().join(',')}`);
      return ids.includes('V1') ? [membership('V1', userId)] : [];
    },
    messages: async (conversationId, ids) => {
      calls.push(`messages:${conversationId}:${[...ids].sort().join(',')}`);
      return ids.map((id) => message(id, conversationId));
    },
    members: async (conversationId) => [membership(conversationId, 'nia')],
  };
};

/** The services' views: a contract of someone else's is refused, as the REST `get` refuses it. */
const showsOf = (shown: string[]): SyncShows => {
  const show = async (context: ServiceContext, record: { id: string; ownerUserId?: string }) => {
    shown.push(record.id);
    if (record.ownerUserId !== context.actor.userId) throw new NotFound();
    if (record.id === 'C2') throw new Forbidden();
    return { id: record.id, view: 'rest' };
  };
  return { StaffProfile: show, Credential: show, Contract: show, Appointment: show };
};

describe("a sync page's reads", () => {
  it("reads a page's items in one batch per kind and shows each through its service's view", async () => {
    // Prepare
    const calls: string[] = [];
    const shown: string[] = [];
    const { views } = pageReads(recordsOf(calls), showsOf(shown));
    const changes = [
      change('Contract', 'C1'),
      change('Contract', 'C2'),
      change('Contract', 'C3'),
      change('Contract', 'C9'),
    ];

    // Act
    const page = await views(contextOf('nia', ['staff']), changes);

    // Assess: one batch read; hidden (403/404) and absent items are left out.
    expect(calls).toEqual(['contracts:C1,C2,C3,C9']);
    expect(shown.sort()).toEqual(['C1', 'C2', 'C3']);
    expect([...page]).toEqual([['Contract#C1', { id: 'C1', view: 'rest' }]]);
  });

  it('shows messages only in conversations the caller takes part in, one read per conversation', async () => {
    // Prepare
    const calls: string[] = [];
    const { views } = pageReads(recordsOf(calls), showsOf([]));
    const changes = [
      change('Message', 'M1', 'V1'),
      change('Message', 'M2', 'V1'),
      change('Message', 'M3', 'V2'),
      change('Conversation', 'V1'),
    ];

    // Act
    const page = await views(contextOf('nia', ['staff']), changes);

    // Assess
    expect([...page.keys()].sort()).toEqual(['Conversation#V1', 'Message#M1', 'Message#M2']);
    expect(page.get('Message#M1')).toMatchObject({ id: 'M1', conversationId: 'V1', body: 'hi' });
    expect(calls).toEqual(['memberships:nia:V1,V2', 'messages:V1:M1,M2']);
  });

  it('tells which items the caller may read by the policy alone, showing none of them', async () => {
    // Prepare
    const shown: string[] = [];
    const { readable } = pageReads(recordsOf([]), showsOf(shown));

    // Act
    const ids = await readable(contextOf('nia', ['staff']), 'Contract', ['C1', 'C3', 'C9']);

    // Assess
    expect([...ids]).toEqual(['C1']);
    expect(shown).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { realtimeChangeOf } from '#data/stream-images.ts';
import { createChangeLog, SYNC_RETENTION_DAYS } from '#domain/sync/change-log.ts';
import { changeAudienceOf, feedsOf } from '#domain/sync/fan-out.ts';
import type { SyncLogEntry } from '#domain/sync/ports.ts';
import { streamRecord } from './support/stream-records.ts';

const change = (...args: Parameters<typeof streamRecord>) => realtimeChangeOf(streamRecord(...args));

const contract = {
  kind: 'Contract',
  id: '01JQ000000000000000000CT01',
  ownerUserId: 'nia',
  status: 'offered',
  currentVersion: 2,
  version: 3,
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedAt: '2026-03-02T09:00:00.000Z',
};
const message = {
  kind: 'Message',
  id: '01JQ0000000000000000000001',
  conversationId: '01JQ00000000000000000000CV',
  senderId: 'rex',
  body: 'Can you cover Friday?',
  sentAt: '2026-03-02T10:00:00.000Z',
};
const member = {
  kind: 'ConversationMember',
  conversationId: message.conversationId,
  userId: 'nia',
  version: 4,
  updatedAt: '2026-03-02T10:00:01.000Z',
};

describe('offline sync fan-out', () => {
  it('logs an owned item for its owner and for each role the policy lets read every such item', () => {
    // Act
    const audience = changeAudienceOf(change('MODIFY', contract, { ...contract, status: 'draft' }));

    // Assess
    expect(audience).toEqual({
      change: { entityType: 'Contract', id: contract.id, op: 'upsert', version: 3, at: contract.updatedAt },
      users: ['nia'],
      roles: ['admin', 'recruiter', 'credentialing'],
    });
    expect(audience && feedsOf(audience, [])).toEqual([
      'USER#nia',
      'ROLE#admin',
      'ROLE#recruiter',
      'ROLE#credentialing',
    ]);
  });

  it('logs a staff profile for its user (the profile names them by userId)', () => {
    // Act
    const audience = changeAudienceOf(
      change('INSERT', {
        kind: 'StaffProfile',
        id: 'S1',
        userId: 'nia',
        version: 1,
        createdAt: '2026-03-01T00:00:00.000Z',
      }),
    );

    // Assess
    expect(audience?.users).toEqual(['nia']);
    expect(audience?.change).toMatchObject({ entityType: 'StaffProfile', id: 'S1', op: 'upsert' });
  });

  it('logs a sent message for its conversation only (no role reads every conversation), once', () => {
    // Act
    const sent = changeAudienceOf(change('INSERT', message));
    const edited = changeAudienceOf(change('MODIFY', message, message));

    // Assess
    expect(sent).toEqual({
      change: {
        entityType: 'Message',
        id: message.id,
        op: 'upsert',
        version: 1,
        at: message.sentAt,
        conversationId: message.conversationId,
      },
      users: [],
      conversationId: message.conversationId,
      roles: [],
    });
    expect(edited).toBeUndefined();
  });

  it("logs a membership change as the member's own conversation", () => {
    // Act
    const audience = changeAudienceOf(change('MODIFY', member, { ...member, version: 3 }));

    // Assess
    expect(audience).toEqual({
      change: {
        entityType: 'Conversation',
        id: message.conversationId,
        op: 'upsert',
        version: 4,
        at: member.updatedAt,
      },
      users: ['nia'],
      roles: [],
    });
  });

  it('logs a soft delete and a removal as deletes, and ignores kinds a client does not keep', () => {
    // Act
    const softDeleted = changeAudienceOf(
      change('MODIFY', { ...contract, deletedAt: '2026-03-03T00:00:00.000Z' }, contract),
    );
    const removed = changeAudienceOf(change('REMOVE', undefined, contract));
    const connection = changeAudienceOf(
      change('INSERT', { kind: 'Connection', connectionId: 'c1', userId: 'nia' }),
    );

    // Assess
    expect(softDeleted?.change.op).toBe('delete');
    expect(removed?.change.op).toBe('delete');
    expect(connection).toBeUndefined();
  });

  it('writes one entry per feed, the participants resolved, each expiring after the retention', async () => {
    // Prepare
    const written: SyncLogEntry[] = [];
    const seqs = ['SEQ1', 'SEQ2'];
    const log = createChangeLog({
      writer: { append: async (entries) => void written.push(...entries) },
      participantsOf: async () => ['nia', 'rex'],
      newSeq: () => seqs.shift() ?? 'SEQ?',
    });
    const now = new Date('2026-03-02T10:00:02.000Z');

    // Act
    const count = await log.record(change('INSERT', message), now);
    await log.flush(now);

    // Assess
    const ttl = Math.ceil(now.getTime() / 1000) + SYNC_RETENTION_DAYS * 24 * 3600;
    expect(count).toBe(2);
    expect(written).toEqual([
      expect.objectContaining({ feed: 'USER#nia', seq: 'SEQ1', entityType: 'Message', ttl }),
      expect.objectContaining({ feed: 'USER#rex', seq: 'SEQ2', entityType: 'Message', ttl }),
    ]);
  });

  it("writes a batch's entries together at the flush, in the order noted, positioned at the flush", async () => {
    // Prepare
    const appends: SyncLogEntry[][] = [];
    const mintedAt: number[] = [];
    const log = createChangeLog({
      writer: { append: async (entries) => void appends.push([...entries]) },
      participantsOf: async () => ['nia', 'rex'],
      newSeq: (at) => {
        mintedAt.push(at.getTime());
        return `SEQ${mintedAt.length}`;
      },
    });
    const noted = new Date('2026-03-02T10:00:02.000Z');
    const flushed = new Date('2026-03-02T10:00:03.500Z');

    // Act
    await log.record(change('INSERT', message), noted);
    await log.record(change('INSERT', { ...message, id: 'MSG-2' }), noted);
    const pendingBefore = log.hasPending();
    const writtenBefore = appends.length;
    await log.flush(flushed);
    await log.flush(flushed);

    // Assess: nothing written until the flush; then one append of all four, nothing twice.
    expect(pendingBefore).toBe(true);
    expect(writtenBefore).toBe(0);
    expect(appends).toHaveLength(1);
    expect(appends[0]?.map((entry) => [entry.id, entry.feed, entry.seq])).toEqual([
      [message.id, 'USER#nia', 'SEQ1'],
      [message.id, 'USER#rex', 'SEQ2'],
      ['MSG-2', 'USER#nia', 'SEQ3'],
      ['MSG-2', 'USER#rex', 'SEQ4'],
    ]);
    expect(new Set(mintedAt)).toEqual(new Set([flushed.getTime()]));
    expect(log.hasPending()).toBe(false);
  });
});

import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAIN_TABLE } from '#data/tables.ts';
import type { LastActor } from '#domain/context.ts';
import type { MembershipRecord, MessageRecord, MessagingRepository } from '#domain/messaging/ports.ts';
import { unreadCountOf } from '#domain/messaging/rules.ts';
import { MAX_PARTICIPANTS } from '#domain/schemas/messaging.ts';
import { ensureTable } from '../../local/tables.ts';
import { startTestDynamoDb, stubRepositoryEnv } from './helpers.ts';

const tableName = 'MessagingRepositoryTest';
let ddb: Awaited<ReturnType<typeof startTestDynamoDb>>;
let repository: MessagingRepository;
let counters: typeof import('#data/membership-counters.ts');
let storeClient: DynamoDBDocumentClient;

const actor: LastActor = { userId: 'alice', roles: ['recruiter'], requestId: 'r1', action: 'create' };
const countersActor: LastActor = { userId: 'system', roles: ['system'], requestId: 'e1', action: 'counters' };
const meta = (at: string) => ({ version: 1, createdAt: at, updatedAt: at, lastActor: actor });

beforeAll(async () => {
  ddb = await startTestDynamoDb('messaging');
  const { stream: _noStream, ...withoutStream } = MAIN_TABLE;
  await ensureTable(ddb.client, withoutStream, tableName);
  stubRepositoryEnv(ddb.endpoint, tableName);
  ({ messagingRepository: repository } = await import('#data/messaging.ts'));
  counters = await import('#data/membership-counters.ts');
  ({ documentClient: storeClient } = await import('#data/client.ts'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await ddb?.client.send(new DeleteTableCommand({ TableName: tableName }));
  storeClient?.destroy();
  await ddb?.stop();
});

const openConversation = async (participantIds = ['alice', 'bob'], at = '2026-03-02T09:00:00.000Z') => {
  const id = ulid();
  const members: MembershipRecord[] = participantIds.map((userId) => ({
    id,
    participantIds,
    createdBy: 'alice',
    conversationId: id,
    userId,
    createdAt: at,
    lastMessageAt: at,
    unreadIds: [],
  }));
  await repository.createConversation(
    { id, participantIds, createdBy: 'alice', ...meta(at) },
    members,
    actor,
  );
  return id;
};

const send = async (conversationId: string, senderId: string, time: number, clientMessageId?: string) => {
  const id = ulid(time);
  const message: MessageRecord = {
    id,
    conversationId,
    senderId,
    clientMessageId: clientMessageId ?? id,
    body: `message ${id}`,
    attachments: [],
    sentAt: new Date(time).toISOString(),
  };
  return repository.putMessage(message, meta(message.sentAt));
};

const T0 = Date.parse('2026-03-02T09:00:00.000Z');

describe('messaging repository on DynamoDB Local', () => {
  it('writes the conversation with one membership per participant, found per user on gsi1', async () => {
    const conversationId = await openConversation();
    expect((await repository.listMembers(conversationId)).map((member) => member.userId).sort()).toEqual([
      'alice',
      'bob',
    ]);
    expect(await repository.getMembership(conversationId, 'carol')).toBeUndefined();
    const page = await repository.listMembershipsOfUser('bob', 100);
    expect(page.items.map((member) => member.conversationId)).toContain(conversationId);
  });

  it('opens a conversation as full as the product allows in one transaction (100 items)', async () => {
    const participantIds = Array.from({ length: MAX_PARTICIPANTS }, (_, index) => `user-${index}`);

    const conversationId = await openConversation(participantIds);

    expect((await repository.listMembers(conversationId)).length).toBe(MAX_PARTICIPANTS);
  });

  it('keeps one message per sender and clientMessageId: a retry gets the stored one', async () => {
    const conversationId = await openConversation();
    const first = await send(conversationId, 'alice', T0 + 1000, 'client-1');
    const retry = await send(conversationId, 'alice', T0 + 2000, 'client-1');
    expect(first.created).toBe(true);
    expect(retry).toEqual({ created: false, message: first.message });
    const page = await repository.listMessages(conversationId, { newestFirst: true, limit: 10 });
    expect(page.items).toHaveLength(1);
  });

  it('orders messages by id and bounds them with before and after', async () => {
    const conversationId = await openConversation();
    const ids = [];
    for (let second = 1; second <= 4; second += 1)
      ids.push((await send(conversationId, 'bob', T0 + second * 1000)).message.id);
    const newest = await repository.listMessages(conversationId, { newestFirst: true, limit: 2 });
    expect(newest.items.map((message) => message.id)).toEqual([ids[3], ids[2]]);
    const next = await repository.listMessages(conversationId, {
      newestFirst: true,
      limit: 2,
      position: newest.next,
    });
    expect(next.items.map((message) => message.id)).toEqual([ids[1], ids[0]]);
    const before = await repository.listMessages(conversationId, {
      newestFirst: true,
      before: ids[2],
      limit: 10,
    });
    expect(before.items.map((message) => message.id)).toEqual([ids[1], ids[0]]);
    const after = await repository.listMessages(conversationId, {
      newestFirst: false,
      after: ids[1],
      limit: 10,
    });
    expect(after.items.map((message) => message.id)).toEqual([ids[2], ids[3]]);
    expect(await repository.findMessage(conversationId, ids[2] ?? '')).toMatchObject({ id: ids[2] });
  });

  it('moves a read receipt forward only', async () => {
    const conversationId = await openConversation();
    const early = (await send(conversationId, 'alice', T0 + 1000)).message.id;
    const late = (await send(conversationId, 'alice', T0 + 2000)).message.id;
    const readActor = { ...actor, userId: 'bob', action: 'read' };
    expect(
      await repository.markRead(conversationId, 'bob', { upToMessageId: late, readAt: 'now' }, readActor),
    ).toBe(true);
    expect(
      await repository.markRead(conversationId, 'bob', { upToMessageId: early, readAt: 'now' }, readActor),
    ).toBe(false);
    expect((await repository.getMembership(conversationId, 'bob'))?.readUpTo).toBe(late);
  });

  it('counts unread once per message however often or late the consumer applies it', async () => {
    const conversationId = await openConversation();
    const bob = { conversationId, userId: 'bob' };
    const first = (await send(conversationId, 'alice', T0 + 1000)).message;
    const second = (await send(conversationId, 'alice', T0 + 2000)).message;
    // Out of order and repeated, as an at-least-once stream may deliver them.
    await counters.countMessageFor(bob, second, countersActor);
    await counters.countMessageFor(bob, first, countersActor);
    await counters.countMessageFor(bob, second, countersActor);
    let member = await repository.getMembership(conversationId, 'bob');
    expect(unreadCountOf(member as MembershipRecord)).toBe(2);
    expect(member?.lastMessageAt).toBe(second.sentAt);

    await repository.markRead(conversationId, 'bob', { upToMessageId: first.id, readAt: 'now' }, actor);
    await counters.dropCoveredUnread(bob, [first.id], countersActor);
    member = await repository.getMembership(conversationId, 'bob');
    expect(member?.unreadIds).toEqual([second.id]);
    expect(unreadCountOf(member as MembershipRecord)).toBe(1);
  });

  it('lists a user’s conversations by latest activity', async () => {
    const older = await openConversation(['dora', 'alice'], '2026-03-01T00:00:00.000Z');
    const newer = await openConversation(['dora', 'alice'], '2026-03-01T00:00:01.000Z');
    await counters.recordActivity(
      { conversationId: older, userId: 'dora' },
      '2026-03-05T00:00:00.000Z',
      countersActor,
    );
    const page = await repository.listMembershipsOfUser('dora', 10);
    expect(page.items.map((member) => member.conversationId)).toEqual([older, newer]);
  });

  it('reads the named attachments of the conversation in one batch', async () => {
    const conversationId = await openConversation();
    const attachment = {
      id: ulid(),
      conversationId,
      uploaderId: 'alice',
      name: 'rota.pdf',
      contentType: 'application/pdf',
      size: 10,
      objectKey: 'k',
      createdAt: 'now',
    };
    await repository.putAttachment(attachment, meta('now'));
    expect(await repository.getAttachments(conversationId, [attachment.id, ulid()])).toEqual([attachment]);
  });
});

import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { assigned, partitionOf, readable } from '../support/expressions.ts';
import { lambdaContext } from './support/lambda.ts';
import { streamRecord } from './support/stream-records.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const gateway = mockClient(ApiGatewayManagementApiClient);
let handler: typeof import('../../functions/streams/notify.ts')['handler'];
let liveMessages: typeof import('../../shared/data/live-messages.ts')['liveMessages'];

const CONVERSATION = '01JQ00000000000000000000CV';
const LATER = Math.floor(Date.now() / 1000) + 3600;
const EARLIER = Math.floor(Date.now() / 1000) - 10;

const connection = (connectionId: string, userId: string, ttl = LATER, roles = ['staff']) => ({
  connectionId,
  userId,
  roles,
  connectedAt: '2026-03-02T09:00:00.000Z',
  ttl,
});

/** Who is connected, by user, as their presence items (`LIVE#<sub>`) and the gsi1 Query on USER#<sub> find them. */
let connections: Record<string, ReturnType<typeof connection>[]> = {};
let members: string[] = [];

const message = {
  kind: 'Message',
  id: '01JQ0000000000000000000001',
  conversationId: CONVERSATION,
  senderId: 'alice',
  clientMessageId: 'c-1',
  body: 'Can you cover Friday?',
  attachments: [],
  sentAt: '2026-03-02T09:00:00.000Z',
};

beforeAll(async () => {
  vi.stubEnv('MAIN_TABLE_NAME', 'Main');
  vi.stubEnv('WS_MANAGEMENT_ENDPOINT', 'https://ws.example/live');
  // Each test says what the session records hold: no cache between them.
  vi.stubEnv('SESSION_CACHE_SECONDS', '0');
  ({ handler } = await import('../../functions/streams/notify.ts'));
  ({ liveMessages } = await import('../../shared/data/live-messages.ts'));
});
afterAll(() => vi.unstubAllEnvs());

beforeEach(() => {
  dynamo.reset();
  gateway.reset();
  members = ['alice', 'bob'];
  connections = {
    alice: [connection('alice-tab-1', 'alice'), connection('alice-tab-2', 'alice')],
    bob: [
      connection('bob-live', 'bob'),
      connection('bob-expired', 'bob', EARLIER),
      connection('bob-gone', 'bob'),
    ],
    carol: [connection('carol-live', 'carol')],
  };
  dynamo.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    if (input.IndexName === 'gsi1') {
      const user = String(partitionOf(input)).replace('USER#', '');
      return { Items: (connections[user] ?? []).map((item) => ({ kind: 'Connection', ...item })) };
    }
    return {
      Items: members.map((userId) => ({
        kind: 'ConversationMember',
        conversationId: CONVERSATION,
        userId,
        participantIds: members,
        createdAt: '2026-03-02T08:00:00.000Z',
        lastMessageAt: '2026-03-02T08:00:00.000Z',
      })),
    };
  });
  dynamo.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => ({
    Responses: {
      Main: (input.RequestItems?.Main?.Keys ?? []).flatMap(({ pk }) => {
        const user = String(pk).replace('LIVE#', '');
        const live = connections[user];
        if (!live) return [];
        const attributes = live.map((item) => [`live:${item.connectionId}`, item]);
        return [
          { pk, sk: pk, kind: 'Presence', userId: user, complete: true, ...Object.fromEntries(attributes) },
        ];
      }),
    },
  }));
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(DeleteCommand).resolves({});
  // A message's sync log entries, one per participant's feed, go in one batch.
  dynamo.on(BatchWriteCommand).resolves({});
  // Session records: none (no revocation), unless a test says so.
  dynamo.on(GetCommand).resolves({});
  gateway.on(PostToConnectionCommand).resolves({});
  gateway
    .on(PostToConnectionCommand, { ConnectionId: 'bob-gone' })
    .rejects(new GoneException({ message: 'Gone', $metadata: {} }));
  gateway.on(DeleteConnectionCommand).resolves({});
});

const postedTo = () =>
  gateway.commandCalls(PostToConnectionCommand).map((call) => ({
    to: call.args[0].input.ConnectionId,
    frame: JSON.parse(Buffer.from(call.args[0].input.Data as Uint8Array).toString()),
  }));

/** The send path's fan-out of a message it just wrote (shared/data/live-messages.ts). */
const sendLive = () => liveMessages.messageSent(message, members, new Date());

describe('live delivery of a sent message, from the send path', () => {
  it("posts message.created to every participant's live connections and to nobody else", async () => {
    // Act
    await sendLive();
    // Assess
    const posted = postedTo();
    expect(posted.map((post) => post.to).sort()).toEqual([
      'alice-tab-1',
      'alice-tab-2',
      'bob-gone',
      'bob-live',
    ]);
    expect(posted[0]?.frame).toMatchObject({
      type: 'message.created',
      message: { id: message.id, readBy: {} },
    });
    expect(posted.some((post) => post.to === 'carol-live')).toBe(false);
  });

  it('closes connections past their ttl instead of posting, and forgets those that answer 410', async () => {
    await sendLive();
    const closed = gateway
      .commandCalls(DeleteConnectionCommand)
      .map((call) => call.args[0].input.ConnectionId);
    expect(closed).toEqual(['bob-expired']);
    const forgotten = dynamo.commandCalls(DeleteCommand).map((call) => call.args[0].input.Key?.pk);
    expect(forgotten.sort()).toEqual(['CONN#bob-expired', 'CONN#bob-gone']);
    const leftPresence = dynamo
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input)
      .filter((input) => input.Key?.pk === 'LIVE#bob' && input.UpdateExpression?.startsWith('REMOVE '))
      .flatMap((input) => Object.values(input.ExpressionAttributeNames ?? {}))
      .filter((name) => name.startsWith('live:'));
    expect(leftPresence.sort()).toEqual(['live:bob-expired', 'live:bob-gone']);
  });

  it('never posts to a connection whose user is not the recipient it was looked up for', async () => {
    connections.bob = [connection('mislabelled', 'carol')];
    await sendLive();
    expect(postedTo().map((post) => post.to)).not.toContain('mislabelled');
  });

  it('never fails the send when a post fails: the message is stored, recipients catch up', async () => {
    gateway.on(PostToConnectionCommand, { ConnectionId: 'alice-tab-2' }).rejects(new Error('throttled'));
    await expect(sendLive()).resolves.toBeUndefined();
    expect(postedTo().map((post) => post.to)).toContain('bob-live');
  });
  it('uses the lookup started before the write (lookAhead): one BatchGetItem for every participant, not two', async () => {
    // Prepare
    liveMessages.lookAhead?.(members);
    // Act
    await liveMessages.messageSent(message, members, new Date());
    // Assess
    const lookups = dynamo.commandCalls(BatchGetCommand);
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.args[0].input.RequestItems?.Main?.Keys).toHaveLength(members.length);
    const perParticipant = dynamo
      .commandCalls(QueryCommand)
      .filter((call) => call.args[0].input.IndexName === 'gsi1');
    expect(perParticipant).toHaveLength(0);
    expect(postedTo().map((post) => post.to)).toContain('bob-live');
  });

  it("tells a revoked session's connections and closes them instead of posting", async () => {
    // Prepare
    dynamo
      .on(GetCommand, { Key: { pk: 'SESSION#bob', sk: 'SESSION#bob' } })
      .resolves({ Item: { kind: 'UserSession', sessionsValidAfter: LATER, ttl: LATER } });
    // Act
    await sendLive();
    // Assess
    const toBob = postedTo().filter((post) => String(post.to).startsWith('bob'));
    expect(toBob.map((post) => post.frame.type)).toEqual(['session.revoked', 'session.revoked']);
    const closed = gateway
      .commandCalls(DeleteConnectionCommand)
      .map((call) => call.args[0].input.ConnectionId);
    expect(closed.sort()).toEqual(['bob-expired', 'bob-live']);
    expect(postedTo().filter((post) => String(post.to).startsWith('alice'))).toHaveLength(2);
  });
});

describe('notify consumer', () => {
  it('leaves message.created to the send path: a new message posts nothing from the stream', async () => {
    const result = await handler({ Records: [streamRecord('INSERT', message)] }, lambdaContext('notify'));
    expect(result.batchItemFailures).toEqual([]);
    expect(postedTo()).toEqual([]);
  });

  it("logs a message in every participant's sync feed with one BatchWriteItem and reads the members once", async () => {
    await handler({ Records: [streamRecord('INSERT', message)] }, lambdaContext('notify'));
    const batches = dynamo
      .commandCalls(BatchWriteCommand)
      .map((call) => call.args[0].input.RequestItems?.Main);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.map((request) => request.PutRequest?.Item?.pk).sort()).toEqual([
      'SYNC#USER#alice',
      'SYNC#USER#bob',
    ]);
    const memberQueries = dynamo
      .commandCalls(QueryCommand)
      .filter((call) => call.args[0].input.IndexName !== 'gsi1');
    expect(memberQueries).toHaveLength(1);
  });

  it("counts the message for recipients and moves the sender's activity, marked as counters", async () => {
    await handler({ Records: [streamRecord('INSERT', message)] }, lambdaContext('notify'));
    const updates = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    const forBob = updates.find((input) => input.Key?.sk === 'MEMBER#bob');
    const forAlice = updates.find((input) => input.Key?.sk === 'MEMBER#alice');
    expect(forBob && readable(forBob, 'UpdateExpression')).toContain(`ADD unreadIds <<"${message.id}">>`);
    expect(forAlice && readable(forAlice, 'UpdateExpression')).not.toContain('unreadIds');
    for (const input of updates) expect(assigned(input).lastActor).toMatchObject({ action: 'counters' });
  });

  it("keeps a batch's counters in one write per member, and logs the batch in one BatchWriteItem", async () => {
    // Prepare: three messages of one conversation in one batch.
    const records = [1, 2, 3].map((n) =>
      streamRecord('INSERT', {
        ...message,
        id: `01JQ000000000000000000000${n}`,
        sentAt: `2026-03-02T09:00:0${n}.000Z`,
      }),
    );
    // Act
    await handler({ Records: records }, lambdaContext('notify'));
    // Assess
    const updates = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates.map((input) => input.Key?.sk).sort()).toEqual(['MEMBER#alice', 'MEMBER#bob']);
    const forBob = updates.find((input) => input.Key?.sk === 'MEMBER#bob');
    expect(forBob && readable(forBob, 'UpdateExpression')).toContain(
      'ADD unreadIds <<"01JQ0000000000000000000001", "01JQ0000000000000000000002", "01JQ0000000000000000000003">>',
    );
    expect(forBob && assigned(forBob)).toMatchObject({ lastMessageAt: '2026-03-02T09:00:03.000Z' });
    const logged = dynamo
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => call.args[0].input.RequestItems?.Main ?? []);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(1);
    expect(logged).toHaveLength(6);
    // The members are read once for the batch, strongly consistent: the counters are planned on them.
    const memberQueries = dynamo
      .commandCalls(QueryCommand)
      .filter((call) => call.args[0].input.IndexName !== 'gsi1')
      .map((call) => call.args[0].input);
    expect(memberQueries).toEqual([expect.objectContaining({ ConsistentRead: true })]);
  });

  it('keeps a receipt between two messages in order: count, drop what it covers, count', async () => {
    // Prepare
    const second = { ...message, id: '01JQ0000000000000000000002', sentAt: '2026-03-02T09:00:02.000Z' };
    const receipt = {
      kind: 'ConversationMember',
      conversationId: CONVERSATION,
      userId: 'bob',
      readUpTo: message.id,
      readAt: '2026-03-02T09:00:01.500Z',
      lastActor: { action: 'read' },
    };
    const records = [
      streamRecord('INSERT', message),
      streamRecord('MODIFY', receipt, { ...receipt, readUpTo: undefined }),
      streamRecord('INSERT', second),
    ];
    // Act
    await handler({ Records: records }, lambdaContext('notify'));
    // Assess
    const forBob = dynamo
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input)
      .filter((input) => input.Key?.sk === 'MEMBER#bob')
      .map((input) => readable(input, 'UpdateExpression'));
    expect(forBob).toEqual([
      expect.stringContaining(`ADD unreadIds <<"${message.id}">>`),
      expect.stringContaining(`DELETE unreadIds <<"${message.id}">>`),
      expect.stringContaining(`ADD unreadIds <<"${second.id}">>`),
    ]);
  });

  it('retries the batch from its first record with counters when they were not written, frames sent', async () => {
    // Prepare
    dynamo.on(UpdateCommand).rejects(new Error('throttled'));
    const profile = streamRecord('INSERT', { kind: 'StaffProfile', id: 'P1' });
    const first = streamRecord('INSERT', message);
    const second = streamRecord('INSERT', { ...message, id: '01JQ0000000000000000000002' });
    // Act
    const result = await handler({ Records: [profile, first, second] }, lambdaContext('notify'));
    // Assess
    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: first.dynamodb?.SequenceNumber },
      { itemIdentifier: second.dynamodb?.SequenceNumber },
    ]);
  });

  it('sends contract.updated to the staff member only', async () => {
    const contract = { kind: 'Contract', id: 'K1', ownerUserId: 'bob', status: 'offered', currentVersion: 1 };
    await handler(
      { Records: [streamRecord('MODIFY', contract, { ...contract, status: 'draft' })] },
      lambdaContext('notify'),
    );
    expect(postedTo().map((post) => post.to)).toEqual(['bob-live', 'bob-gone']);
    expect(postedTo()[0]?.frame).toEqual({
      type: 'contract.updated',
      contractId: 'K1',
      status: 'offered',
      currentVersion: 1,
    });
  });

  it('drops the unread ids a receipt covers and tells the participants', async () => {
    const before = {
      kind: 'ConversationMember',
      conversationId: CONVERSATION,
      userId: 'bob',
      unreadIds: new Set([message.id, '01JQ0000000000000000000009']),
    };
    const after = {
      ...before,
      readUpTo: message.id,
      readAt: '2026-03-02T09:05:00.000Z',
      lastActor: { action: 'read' },
    };
    await handler({ Records: [streamRecord('MODIFY', after, before)] }, lambdaContext('notify'));
    const drop = dynamo
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input)
      .find((input) => String(input.Key?.pk).startsWith('CONV#'));
    expect(drop && readable(drop, 'UpdateExpression')).toContain(`DELETE unreadIds <<"${message.id}">>`);
    expect(postedTo().find((post) => post.to === 'alice-tab-1')?.frame).toMatchObject({
      type: 'message.read',
      userId: 'bob',
      upToMessageId: message.id,
    });
  });

  it('reports the record whose delivery failed, so only it and later ones are retried', async () => {
    gateway.on(PostToConnectionCommand, { ConnectionId: 'alice-tab-2' }).rejects(new Error('throttled'));
    const ok = streamRecord('INSERT', { kind: 'StaffProfile', id: 'P1' });
    const failing = streamRecord('INSERT', {
      kind: 'Contract',
      id: 'K2',
      ownerUserId: 'alice',
      status: 'offered',
      currentVersion: 1,
    });
    const result = await handler({ Records: [ok, failing] }, lambdaContext('notify'));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: failing.dynamodb?.SequenceNumber }]);
  });
});

describe('staff.flagged', () => {
  const flag = {
    kind: 'CredentialingFlag',
    id: '01JQ00000000000000000FLAG1',
    staffId: '01JQ0000000000000000STAFF1',
    staffName: 'Bob Nurse',
    ownerUserId: 'bob',
    source: 'leie',
    result: 'match',
    raisedAt: '2026-03-02T07:00:04.000Z',
    status: 'open',
  };

  it('goes to every credentialing and admin connection and to the staff member, re-checked per connection', async () => {
    // Prepare: the desk index lists a recruiter too (say, roles changed): the policy still refuses them.
    connections.cred = [connection('cred-live', 'cred', LATER, ['credentialing'])];
    connections.boss = [connection('boss-live', 'boss', LATER, ['admin', 'recruiter'])];
    connections.rec = [connection('rec-live', 'rec', LATER, ['recruiter'])];
    const desk = [...connections.cred, ...connections.boss, ...connections.rec];
    // The desk's connections; the webhook endpoints (the same index, partition WHEP): none.
    dynamo.on(QueryCommand, { IndexName: 'gsi3' }).callsFake((input: QueryCommandInput) => ({
      Items: partitionOf(input) === 'CONNDESK' ? desk.map((item) => ({ kind: 'Connection', ...item })) : [],
    }));

    // Act
    const result = await handler({ Records: [streamRecord('INSERT', flag)] }, lambdaContext('notify'));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(
      postedTo()
        .map((post) => post.to)
        .sort(),
    ).toEqual(['bob-gone', 'bob-live', 'boss-live', 'cred-live']);
    expect(postedTo().find((post) => post.to === 'cred-live')?.frame).toEqual({
      type: 'staff.flagged',
      staffId: flag.staffId,
      flagId: flag.id,
      source: 'leie',
      result: 'match',
      raisedAt: flag.raisedAt,
    });
    const deskQuery = dynamo
      .commandCalls(QueryCommand)
      .find((call) => call.args[0].input.IndexName === 'gsi3');
    expect(deskQuery && partitionOf(deskQuery.args[0].input)).toBe('CONNDESK');
  });

  it('is raised once: resolving the flag sends nothing', async () => {
    await handler(
      { Records: [streamRecord('MODIFY', { ...flag, status: 'cleared' }, flag)] },
      lambdaContext('notify'),
    );
    expect(postedTo()).toEqual([]);
  });
});

describe('webhook.endpoint.disabled', () => {
  it('goes to every admin connection, not to credentialing users of the desk', async () => {
    // Prepare
    connections.cred = [connection('cred-live', 'cred', LATER, ['credentialing'])];
    connections.boss = [connection('boss-live', 'boss', LATER, ['admin'])];
    const desk = [...connections.cred, ...connections.boss];
    dynamo.on(QueryCommand, { IndexName: 'gsi3' }).callsFake((input: QueryCommandInput) => ({
      Items: partitionOf(input) === 'CONNDESK' ? desk.map((item) => ({ kind: 'Connection', ...item })) : [],
    }));
    const endpoint = { kind: 'WebhookEndpoint', id: 'EP1', url: 'https://ats.example.com/h', enabled: true };
    const disabled = { ...endpoint, enabled: false, disabledReason: 'every attempt failed for 5 days' };
    const updatedAt = '2026-03-02T09:00:00.000Z';

    // Act
    const record = streamRecord('MODIFY', { ...disabled, updatedAt }, { ...endpoint, updatedAt });
    const result = await handler({ Records: [record] }, lambdaContext('notify'));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(postedTo()).toEqual([
      {
        to: 'boss-live',
        frame: expect.objectContaining({ type: 'webhook.endpoint.disabled', endpointId: 'EP1' }),
      },
    ]);
  });
});

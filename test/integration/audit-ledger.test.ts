/**
 * The audit ledger on DynamoDB Local with the real stream: writes through the real repositories,
 * the stream poller feeding the real audit consumer, replays, a crash mid-batch, tampering.
 * The file has a DynamoDB Local of its own, with one stream-enabled Main table.
 */
import { DeleteCommand, DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUDIT_LEDGER_TABLE, MAIN_TABLE } from '#data/tables.ts';
import type { ServiceContext } from '#domain/context.ts';
import { lastActorOf, newEntityMeta } from '#domain/context.ts';
import { userEvent } from '#domain/identity/user-events.ts';
import { STREAM_CONSUMERS } from '#shared/functions.ts';
import {
  type RunningStreamPoller,
  type StreamHandler,
  startStreamPoller,
} from '../../local/stream-poller.ts';
import { ensureTable } from '../../local/tables.ts';
import { removeTestDirs, startTestDynamoDb, stubRepositoryEnv, testCredentials, testDir } from './helpers.ts';

const MAIN = 'AuditMain';
const LEDGER = 'AuditLedgerTest';
const PHI = { phone: '+1 555 0100', email: 'nia.secret@example.org', dateOfBirth: '1990-05-01' };

let ddb: Awaited<ReturnType<typeof startTestDynamoDb>>;
let streamArn: string;
let items: DynamoDBDocumentClient;
let audit: StreamHandler;
let repos: {
  accessEvents: typeof import('#data/access-events.ts')['accessEventRepository'];
  staff: typeof import('#data/staff.ts')['staffProfileRepository'];
  messaging: typeof import('#data/messaging.ts')['messagingRepository'];
  counters: typeof import('#data/membership-counters.ts');
  connections: typeof import('#data/connections.ts');
  throttle: typeof import('#data/login-throttle.ts')['loginThrottleStore'];
  auditService: ReturnType<typeof import('#domain/audit/service.ts')['createAuditService']>;
};

beforeAll(async () => {
  ddb = await startTestDynamoDb('audit-ledger');
  const main = await ensureTable(ddb.client, MAIN_TABLE, MAIN);
  await ensureTable(ddb.client, AUDIT_LEDGER_TABLE, LEDGER);
  if (!main.streamArn) throw new Error('Main has no stream');
  streamArn = main.streamArn;
  items = DynamoDBDocumentClient.from(ddb.client);
  // The repositories and the consumer read their endpoint and tables from the environment on import.
  stubRepositoryEnv(ddb.endpoint, MAIN);
  vi.stubEnv('LEDGER_TABLE_NAME', LEDGER);
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
  ({ handler: audit } = (await import('../../functions/streams/audit.ts')) as { handler: StreamHandler });
  const [{ createAuditService }, { ledgerReader }, { chainWitness }] = await Promise.all([
    import('#domain/audit/service.ts'),
    import('#data/audit-queries.ts'),
    import('#data/audit-ledger.ts'),
  ]);
  repos = {
    accessEvents: (await import('#data/access-events.ts')).accessEventRepository,
    staff: (await import('#data/staff.ts')).staffProfileRepository,
    messaging: (await import('#data/messaging.ts')).messagingRepository,
    counters: await import('#data/membership-counters.ts'),
    connections: await import('#data/connections.ts'),
    throttle: (await import('#data/login-throttle.ts')).loginThrottleStore,
    auditService: createAuditService({ reader: ledgerReader, witness: chainWitness }),
  };
});

afterAll(async () => {
  vi.unstubAllEnvs();
  removeTestDirs();
  (await import('#data/client.ts')).documentClient.destroy();
  await ddb?.stop();
});

let logged: string[];
beforeEach(() => {
  logged = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk) => {
      logged.push(String(chunk));
      return true;
    });
  }
  return () => vi.restoreAllMocks();
});

/** A poller feeding `handler` (the real consumer unless a test wraps it) with the audit consumer's filter. */
const withConsumer = async <T>(handler: StreamHandler, work: (poller: RunningStreamPoller) => Promise<T>) => {
  const poller = await startStreamPoller({
    dynamodbEndpoint: ddb.endpoint,
    streamArn,
    credentials: testCredentials,
    dlqDir: testDir('audit-dlq'),
    retryBaseDelayMs: 10,
    onError: () => undefined,
    consumers: [{ name: 'audit', definition: STREAM_CONSUMERS.audit ?? fail(), handler }],
  });
  try {
    const result = await work(poller);
    await poller.idle();
    return result;
  } finally {
    await poller.stop();
  }
};

const fail = (): never => {
  throw new Error('the audit consumer is not registered');
};

let serial = 0;
const unique = (label: string) => {
  serial += 1;
  return `${label}${Date.now().toString(36)}${serial}`.toUpperCase();
};

const contextOf = (
  userId: string,
  roles: ServiceContext['actor']['roles'],
  requestId: string,
): ServiceContext => ({
  actor: { userId, roles },
  now: new Date(),
  requestId,
});

const chain = async (entityType: string, entityId: string) => {
  const { Items = [] } = await items.send(
    new QueryCommand({
      TableName: LEDGER,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `ENTITY#${entityType}#${entityId}` },
      ConsistentRead: true,
    }),
  );
  return Items;
};

const byActor = async (userId: string) => {
  const { Items = [] } = await items.send(
    new QueryCommand({
      TableName: LEDGER,
      IndexName: 'byActor',
      KeyConditionExpression: 'actorKey = :a',
      ExpressionAttributeValues: { ':a': `ACTOR#${userId}` },
    }),
  );
  return Items;
};

const createProfile = async (context: ServiceContext) => {
  const profile = {
    id: unique('01P'),
    userId: unique('user-'),
    name: 'Nia Nurse',
    email: PHI.email,
    dateOfBirth: PHI.dateOfBirth,
    isActive: true,
    ...newEntityMeta(context),
  };
  await repos.staff.create(profile);
  return profile;
};

describe('audit ledger fed by the stream', () => {
  it('gives each audited write exactly one entry with its actor and action, and leaves the rest out', async () => {
    const admin = contextOf(unique('admin-'), ['admin'], 'req-create');
    const actorId = admin.actor.userId;
    const userId = unique('user-');
    const conversationId = unique('01C');
    const profile = await withConsumer(audit, async () => {
      const created = await createProfile(admin);
      const edit = { ...admin, requestId: 'req-edit' };
      await repos.staff.update(created, {
        ...created,
        phone: PHI.phone,
        version: 2,
        updatedAt: new Date().toISOString(),
        lastActor: lastActorOf(edit, 'update'),
      });
      const login = contextOf(userId, ['staff'], 'req-login');
      await repos.accessEvents.record(userEvent(login, userId, 'login', `login of user ${userId}`));
      await repos.accessEvents.record(userEvent(login, userId, 'logout', `logout of user ${userId}`));
      // Not audited: a connection, a failed-login counter, the notify consumer's counters.
      await repos.connections.putConnection({
        connectionId: unique('conn'),
        userId,
        roles: ['staff'],
        connectedAt: new Date().toISOString(),
        ttl: Math.floor(Date.now() / 1000) + 3600,
      });
      await repos.throttle.recordFailure(unique('throttle'), new Date(), {
        maxFailures: 5,
        windowSeconds: 900,
        lockSeconds: 900,
      });
      const opened = { ...admin, requestId: 'req-open' };
      const meta = newEntityMeta(opened);
      const conversation = {
        id: conversationId,
        subject: 'Shift swap',
        participantIds: [actorId, userId],
        createdBy: actorId,
      };
      const members = [actorId, userId].map((member) => ({
        ...conversation,
        conversationId,
        userId: member,
        createdAt: meta.createdAt,
        lastMessageAt: meta.createdAt,
        unreadIds: [],
      }));
      await repos.messaging.createConversation({ ...conversation, ...meta }, members, meta.lastActor);
      await repos.counters.recordActivity({ conversationId, userId }, new Date().toISOString(), {
        userId: 'system',
        roles: ['system'],
        requestId: 'req-notify',
        action: 'counters',
      });
      return created;
    });

    const profileChain = await chain('StaffProfile', profile.id);
    expect(profileChain.map((entry) => [entry.seq, entry.action, entry.requestId, entry.actor])).toEqual([
      [1, 'create', 'req-create', { userId: actorId, roles: ['admin'] }],
      [2, 'update', 'req-edit', { userId: actorId, roles: ['admin'] }],
    ]);
    expect(profileChain[1]?.changes).toEqual({ phone: { from: null, to: '[redacted]' } });
    expect((await chain('User', userId)).map((entry) => [entry.seq, entry.action, entry.requestId])).toEqual([
      [1, 'login', 'req-login'],
      [2, 'logout', 'req-login'],
    ]);
    // The conversation's creation is one entry: its membership items are part of that request.
    expect((await chain('Conversation', conversationId)).map((entry) => entry.action)).toEqual(['create']);
    expect(await byActor('system')).toEqual([]);
    expect((await byActor(actorId)).length).toBe(3);
    const stored = JSON.stringify([profileChain, await chain('Conversation', conversationId)]);
    for (const value of [...Object.values(PHI), 'Nia Nurse', 'Shift swap']) {
      expect(stored).not.toContain(value);
      expect(logged.join('')).not.toContain(value);
    }
    expect(
      await repos.auditService.verify(admin, { entityType: 'StaffProfile', entityId: profile.id }),
    ).toEqual({
      valid: true,
      entries: 2,
      headHash: profileChain[1]?.hash,
    });
  });

  it('writes nothing new when the same records are delivered again, and loses or doubles nothing after a crash mid-batch', async () => {
    const seen: DynamoDBStreamEvent[] = [];
    let crashes = 1;
    // Appends the first half of the first batch, then dies: the poller retries the whole batch.
    const crashingOnce: StreamHandler = async (event, context) => {
      seen.push(event);
      if (crashes > 0 && event.Records.length > 1) {
        crashes -= 1;
        await audit({ Records: event.Records.slice(0, Math.ceil(event.Records.length / 2)) }, context);
        throw new Error('the function ran out of time');
      }
      return audit(event, context);
    };
    const userId = unique('user-');
    const context = contextOf(userId, ['staff'], 'req-burst');
    await withConsumer(crashingOnce, async () => {
      // Written together, so they reach the consumer as one batch.
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          repos.accessEvents.record(
            userEvent({ ...context, requestId: `req-${i}` }, userId, 'login', 'login'),
          ),
        ),
      );
    });
    expect(crashes).toBe(0);
    const entries = await chain('User', userId);
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(entries.map((entry) => entry.requestId)).size).toBe(10);

    for (const event of seen) await audit(event, {} as Context);

    expect(await chain('User', userId)).toEqual(entries);
    const admin = contextOf('verify-admin', ['admin'], 'req-verify');
    expect(await repos.auditService.verify(admin, { entityType: 'User', entityId: userId })).toMatchObject({
      valid: true,
      entries: 10,
    });
  });
});

describe('verify', () => {
  const admin = contextOf('verify-admin', ['admin'], 'req-verify');
  const profileWithHistory = async () =>
    withConsumer(audit, async () => {
      let profile = await createProfile(admin);
      for (const phone of ['+1 555 0101', '+1 555 0102']) {
        const next = {
          ...profile,
          phone,
          version: profile.version + 1,
          lastActor: lastActorOf(admin, 'update'),
        };
        await repos.staff.update(profile, next);
        profile = next;
      }
      return profile;
    });
  const key = (id: string, seq: number) => ({
    pk: `ENTITY#StaffProfile#${id}`,
    sk: String(seq).padStart(10, '0'),
  });

  it.each([
    {
      tampering: 'an entry edited in place',
      tamper: (id: string) =>
        items.send(
          new UpdateCommand({
            TableName: LEDGER,
            Key: key(id, 2),
            UpdateExpression: 'SET #action = :a',
            ExpressionAttributeNames: { '#action': 'action' },
            ExpressionAttributeValues: { ':a': 'create' },
          }),
        ),
      brokenAt: 2,
    },
    {
      tampering: 'a middle entry deleted',
      tamper: (id: string) => items.send(new DeleteCommand({ TableName: LEDGER, Key: key(id, 2) })),
      brokenAt: 2,
    },
    {
      tampering: 'the newest entry deleted',
      tamper: (id: string) => items.send(new DeleteCommand({ TableName: LEDGER, Key: key(id, 3) })),
      brokenAt: 3,
    },
  ])('reports $tampering as invalid, broken at $brokenAt', async ({ tamper, brokenAt }) => {
    const profile = await profileWithHistory();
    const chainId = { entityType: 'StaffProfile', entityId: profile.id };
    expect(await repos.auditService.verify(admin, chainId)).toMatchObject({ valid: true, entries: 3 });

    await tamper(profile.id);

    expect(await repos.auditService.verify(admin, chainId)).toMatchObject({ valid: false, brokenAt });
  });
});

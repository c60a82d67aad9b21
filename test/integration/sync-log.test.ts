import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAIN_TABLE } from '#data/tables.ts';
import type { ServiceContext } from '#domain/context.ts';
import type { ItemChange } from '#domain/realtime/frames.ts';
import { createChangeLog } from '#domain/sync/change-log.ts';
import {
  type ChangeLogReader,
  type ChangeLogWriter,
  itemKey,
  type LoggedChange,
} from '#domain/sync/ports.ts';
import { createSyncService, positionAt } from '#domain/sync/service.ts';
import { ensureTable } from '../../local/tables.ts';
import { startTestDynamoDb, stubRepositoryEnv } from './helpers.ts';

const tableName = 'SyncLogTest';
let ddb: Awaited<ReturnType<typeof startTestDynamoDb>>;
let repository: ChangeLogWriter & ChangeLogReader;
let storeClient: DynamoDBDocumentClient;

beforeAll(async () => {
  ddb = await startTestDynamoDb('sync-log');
  const { stream: _noStream, ...withoutStream } = MAIN_TABLE;
  await ensureTable(ddb.client, withoutStream, tableName);
  stubRepositoryEnv(ddb.endpoint, tableName);
  ({ changeLogRepository: repository } = await import('#data/sync.ts'));
  ({ documentClient: storeClient } = await import('#data/client.ts'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await ddb?.client.send(new DeleteTableCommand({ TableName: tableName }));
  storeClient?.destroy();
  await ddb?.stop();
});

const T0 = Date.parse('2026-03-02T09:00:00.000Z');

const contractChange = (id: string, ownerUserId: string, version: number): ItemChange => ({
  eventName: 'MODIFY',
  newImage: {
    kind: 'Contract',
    id,
    ownerUserId,
    status: 'offered',
    version,
    updatedAt: new Date(T0).toISOString(),
  },
});

const messageSent = (id: string, conversationId: string): ItemChange => ({
  eventName: 'INSERT',
  newImage: { kind: 'Message', id, conversationId, senderId: 'rex', sentAt: new Date(T0).toISOString() },
});

const contextOf = (userId: string, now: Date): ServiceContext => ({
  actor: { userId, roles: ['staff'] },
  now,
  requestId: 'r1',
});

describe('offline sync change log on DynamoDB Local', () => {
  it('stores one entry per feed, keyed by feed and write order, with its expiry', async () => {
    // Prepare
    const log = createChangeLog({ writer: repository, participantsOf: async () => ['nia', 'rex'] });

    // Act
    const written = await log.record(contractChange('CT-A', 'nia', 2), new Date(T0));
    await log.flush(new Date(T0));
    const page = await repository.read(
      'USER#nia',
      { after: positionAt(T0 - 1), before: positionAt(T0 + 1000) },
      10,
    );

    // Assess
    expect(written).toBe(4);
    expect(page.items).toEqual([
      expect.objectContaining({
        feed: 'USER#nia',
        entityType: 'Contract',
        id: 'CT-A',
        version: 2,
        op: 'upsert',
      }),
    ]);
    const seq = page.items[0]?.seq ?? '';
    const { Item } = await storeClient.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'SYNC#USER#nia', sk: `CHG#${seq}` } }),
    );
    expect(Item).toMatchObject({ kind: 'SyncChange', ttl: Math.ceil(T0 / 1000) + 30 * 24 * 3600 });
    for (const role of ['admin', 'recruiter', 'credentialing']) {
      const feed = await repository.read(
        `ROLE#${role}`,
        { after: positionAt(T0 - 1), before: positionAt(T0 + 1000) },
        10,
      );
      expect(feed.items.map((entry) => entry.id)).toEqual(['CT-A']);
    }
  });

  it("pages a user's changes, oldest first, through the sync reader, with tombstones for what they no longer see", async () => {
    // Prepare: five messages to a conversation of lee's, then one she was removed from.
    const log = createChangeLog({ writer: repository, participantsOf: async () => ['lee'] });
    for (let n = 1; n <= 5; n += 1) {
      await log.record(messageSent(`MSG-${n}`, 'CONV-1'), new Date(T0 + n));
      await log.flush(new Date(T0 + n));
    }
    await log.record(messageSent('MSG-6', 'CONV-GONE'), new Date(T0 + 6));
    await log.flush(new Date(T0 + 6));
    // What the caller may see now: every message but those of the conversation she left.
    const views = async (_context: ServiceContext, changes: readonly LoggedChange[]) =>
      new Map(
        changes
          .filter((change) => change.conversationId !== 'CONV-GONE')
          .map((change) => [itemKey(change), { id: change.id, conversationId: change.conversationId }]),
      );
    const readable = async () => new Set<string>();
    const service = createSyncService({ log: repository, views, readable, snapshot: [] });
    const context = contextOf('lee', new Date(T0 + 60_000));

    // Act
    const pages = [await service.sync(context, { position: { after: positionAt(T0), feeds: [] }, limit: 2 })];
    while (pages.at(-1)?.hasMore)
      pages.push(await service.sync(context, { position: pages.at(-1)?.next, limit: 2 }));

    // Assess
    expect(pages.map((page) => page.changes.map((change) => `${change.op}:${change.id}`))).toEqual([
      ['upsert:MSG-1', 'upsert:MSG-2'],
      ['upsert:MSG-3', 'upsert:MSG-4'],
      ['upsert:MSG-5', 'delete:MSG-6'],
    ]);
    const after = await service.sync(context, { position: pages.at(-1)?.next, limit: 2 });
    expect(after.changes).toEqual([]);
  });
});
